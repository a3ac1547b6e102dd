namespace LinkTracking.Domain.Links;

/// <summary>When a link stops answering with its destination, and where it sends visitors then.</summary>
/// <param name="ExpiresAt">UTC instant after which the link is spent; null for never.</param>
/// <param name="MaxHumanClicks">Human clicks after which the link is spent; null for no limit.</param>
/// <param name="FallbackUrl">Where a spent link redirects; null to answer 410 Gone.</param>
public sealed record LinkLimits(DateTime? ExpiresAt, int? MaxHumanClicks, TargetUrl? FallbackUrl);
