using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Infrastructure.Persistence;

namespace LinkTracking.Infrastructure.Webhooks;

/// <summary>An alert whose condition holds now: its episode's key (the alert and its subject) and its event.</summary>
public sealed record WebhookAlert(string Key, WebhookEventDraft Draft);

/// <summary>
/// One <c>alert.*</c> condition (docs/webhooks.md): which subjects are in it now. What is announced, and when an
/// episode closes, is <see cref="WebhookAlertEpisodes"/>'s job; a rule only reads.
/// </summary>
public interface IWebhookAlertRule
{
    /// <summary>The event type, also the first part of the episodes' keys.</summary>
    string Type { get; }

    /// <summary>
    /// Whether an episode closes once the rule no longer finds its subject, so a later occurrence is announced again;
    /// false: once per subject, ever.
    /// </summary>
    bool Recurs { get; }

    /// <summary>The one episode this rule speaks for (a node's own), or null for every episode of <see cref="Type"/>.</summary>
    string? OnlyKey { get; }

    /// <summary>The subjects in the alert's condition at <paramref name="now"/>.</summary>
    Task<IReadOnlyList<WebhookAlert>> FindAsync(LinkTrackingDbContext db, DateTime now, CancellationToken cancellationToken);
}
