using System.ComponentModel;

namespace LinkTracking.Application.Common.Models;

/// <summary>What the redirect needs to know of a link; small and immutable so it can be cached.</summary>
[ImmutableObject(true)]
public sealed record LinkTarget(string TrackingId, string OriginalUrl, bool IsActive);
