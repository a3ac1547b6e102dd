using LinkTracking.Application.Common.Interfaces;
using Mediator;

namespace LinkTracking.Application.Common.Behaviours;

/// <summary>
/// Read-your-writes for clicks: before a message marked <see cref="IReadsRecordedClicks"/> is handled, every click
/// acknowledged so far is made visible to queries (<see cref="IClickRecorder.FlushAsync"/>). Other messages, the
/// redirect among them, pass straight through.
/// </summary>
public sealed class RecordedClicksBehaviour<TMessage, TResponse>(IClickRecorder recorder) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        return message is IReadsRecordedClicks ? FlushThenHandle(message, next, cancellationToken) : next(message, cancellationToken);
    }

    private async ValueTask<TResponse> FlushThenHandle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        await recorder.FlushAsync(cancellationToken);
        return await next(message, cancellationToken);
    }
}
