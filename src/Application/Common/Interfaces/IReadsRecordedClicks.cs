namespace LinkTracking.Application.Common.Interfaces;

/// <summary>
/// Marks a message whose handler reads stored clicks. <see cref="Behaviours.RecordedClicksBehaviour{TMessage, TResponse}"/>
/// flushes the click recorder first, so a click acknowledged before the request is counted in its answer.
/// </summary>
public interface IReadsRecordedClicks;
