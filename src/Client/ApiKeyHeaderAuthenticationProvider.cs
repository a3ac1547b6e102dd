using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;

namespace LinkTracking.Client;

/// <summary>
/// Sends the API key in <c>X-API-Key</c>, to the service's own host only. Kiota's <c>ApiKeyAuthenticationProvider</c>
/// refuses plain http outright, which rules out the loopback test host and a service reached over a private network;
/// this one accepts https, loopback, and plain http only when the caller says so.
/// </summary>
public sealed class ApiKeyHeaderAuthenticationProvider : IAuthenticationProvider
{
    private readonly string _apiKey;
    private readonly string _host;
    private readonly bool _allowUnencryptedHttp;

    public ApiKeyHeaderAuthenticationProvider(string apiKey, Uri serviceRoot, bool allowUnencryptedHttp = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        ArgumentNullException.ThrowIfNull(serviceRoot);
        _apiKey = apiKey;
        _host = serviceRoot.Host;
        _allowUnencryptedHttp = allowUnencryptedHttp;
    }

    public Task AuthenticateRequestAsync(
        RequestInformation request, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.URI;
        if (!string.Equals(uri.Host, _host, StringComparison.OrdinalIgnoreCase))
        {
            return Task.CompletedTask;
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback && !_allowUnencryptedHttp)
        {
            throw new InvalidOperationException($"Refusing to send the API key over {uri.Scheme} to {uri.Host}: use https, or allow unencrypted http explicitly.");
        }

        request.Headers.Add(LinkTrackingClient.ApiKeyHeader, _apiKey);
        return Task.CompletedTask;
    }
}
