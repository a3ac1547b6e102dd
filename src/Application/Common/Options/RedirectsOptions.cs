namespace LinkTracking.Application.Common.Options;

/// <summary>
/// Configuration section <c>LinkTracking:Redirects</c>: where browsers go instead of an error page (as Shlink's
/// not-found redirects). Each is an absolute http(s) URL or unset.
/// </summary>
public sealed class RedirectsOptions
{
    /// <summary>Where <c>/</c> redirects; when unset, <c>/</c> shows a small page naming the service.</summary>
    [HttpUrl(ErrorMessage = "LinkTracking:Redirects:BaseUrl is an absolute http(s) URL.")]
    public string? BaseUrl { get; set; }

    /// <summary>Where a browser following an unknown or inactive link goes; when unset, it gets the 404 page.</summary>
    [HttpUrl(ErrorMessage = "LinkTracking:Redirects:InvalidLink is an absolute http(s) URL.")]
    public string? InvalidLink { get; set; }

    /// <summary>Whether <paramref name="value"/> is unset or an absolute http(s) URL.</summary>
    public static bool IsUnsetOrHttpUrl(string? value) =>
        string.IsNullOrEmpty(value)
        || (Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp));
}
