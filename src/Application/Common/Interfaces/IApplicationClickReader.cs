using LinkTracking.Domain.Clicks;

namespace LinkTracking.Application.Common.Interfaces;

/// <summary>The raw clicks of one application's links, for its journey (an application has few clicks).</summary>
public interface IApplicationClickReader
{
    /// <summary>
    /// The newest <paramref name="limit"/> clicks (humans and bots) of the application's links, newest first, within the
    /// query timeout.
    /// </summary>
    Task<IReadOnlyList<ApplicationClick>> ListNewestAsync(Guid applicationId, int limit, CancellationToken cancellationToken);
}

/// <summary>One click as the journey shows it.</summary>
public sealed record ApplicationClick(
    Guid Id,
    string TrackingId,
    string LinkFunction,
    DateTime ClickedAt,
    BotCategory BotCategory,
    string? Signals,
    string? Country,
    DeviceType? DeviceType);
