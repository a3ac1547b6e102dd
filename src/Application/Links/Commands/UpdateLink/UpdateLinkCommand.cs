using LinkTracking.Application.Common.Mapping;
using LinkTracking.Application.Links.Common;
using Mediator;

namespace LinkTracking.Application.Links.Commands.UpdateLink;

/// <summary>
/// Changes some of a link's settings (<c>PATCH /api/v1/link-tracking/links/{tracking_id}</c>): only the fields the
/// caller sent change; a field sent as null is cleared (except <c>original_url</c>, which is required). Every change
/// is recorded in the link's history with the time and <see cref="ApiKeyId"/>.
/// </summary>
public sealed record UpdateLinkCommand(string TrackingId, LinkPatch Patch, Guid? ApiKeyId) : ICommand<LinkDto>;

/// <summary>A field of a patch: whether the caller sent it, and its value (null clears it).</summary>
public readonly record struct Patched<T>(bool IsSet, T Value);

/// <summary>Builds <see cref="Patched{T}"/> values.</summary>
public static class Patched
{
    /// <summary>A field the caller sent, with its value.</summary>
    public static Patched<T> To<T>(T value) => new(true, value);
}

/// <summary>The fields of a link a patch may change.</summary>
public sealed record LinkPatch
{
    public Patched<string?> OriginalUrl { get; init; }

    public Patched<string?> Description { get; init; }

    public Patched<DateTimeOffset?> ExpiresAt { get; init; }

    public Patched<int?> MaxHumanClicks { get; init; }

    public Patched<string?> FallbackUrl { get; init; }

    /// <summary>New A/B destinations (replacing the old ones), or null to remove them.</summary>
    public Patched<IReadOnlyList<VariantRequest>?> Variants { get; init; }

    public bool IsEmpty => !OriginalUrl.IsSet && !Description.IsSet && !ExpiresAt.IsSet && !MaxHumanClicks.IsSet && !FallbackUrl.IsSet
        && !Variants.IsSet;
}
