namespace LinkTracking.Application.Common.Interfaces;

/// <summary>Builds public URLs: <c>{base}/track/{tracking_id}</c>, or <c>https://{domain}{short_path}/{code}</c> on a branded domain.</summary>
public interface ILinkUrls
{
    string RedirectUrlFor(string trackingId);

    /// <summary>The address of a link on a configured branded domain.</summary>
    string BrandedUrlFor(string domain, string shortCode);
}

/// <summary>The one place that decides which of a link's addresses is its public one.</summary>
public static class LinkUrlsExtensions
{
    public static string RedirectUrlFor(this ILinkUrls urls, Domain.Links.TrackedLink link)
    {
        ArgumentNullException.ThrowIfNull(urls);
        ArgumentNullException.ThrowIfNull(link);
        return link is { Domain: { } domain, ShortCode: { } code }
            ? urls.BrandedUrlFor(domain, code)
            : urls.RedirectUrlFor(link.TrackingId.Value);
    }
}
