using LinkTracking.Client.Generated;
using LinkTracking.Client.Generated.Models;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace LinkTracking.Client;

/// <summary>
/// The common flow of the orchestrator over the generated client: create the link package of an application, read its
/// summary. Every other operation is on <see cref="Generated"/>. Errors surface as the generated problem types
/// (<see cref="ProblemDetails"/>, <see cref="ValidationProblemDetails"/>), which are exceptions carrying status,
/// title and detail. Requests send the key in <c>X-API-Key</c>; 429 and 503 are retried after <c>Retry-After</c>
/// when the <see cref="HttpClient"/> comes from <see cref="CreateHttpClient"/>.
/// </summary>
public sealed class LinkTrackingClient : IDisposable
{
    public const string ApiKeyHeader = "X-API-Key";

    private readonly HttpClientRequestAdapter _adapter;

    /// <param name="httpClient">Its <see cref="HttpClient.BaseAddress"/> is the service's root, e.g. <c>https://links.example.com</c>.</param>
    /// <param name="apiKey">A key with the scopes of the operations used (<c>links:write</c>, <c>analytics:read</c>).</param>
    /// <param name="allowUnencryptedHttp">Send the key over plain http to a host that is not loopback (a private network).</param>
    public LinkTrackingClient(HttpClient httpClient, string apiKey, bool allowUnencryptedHttp = false)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        var baseAddress = httpClient.BaseAddress ?? throw new ArgumentException("The HttpClient needs a BaseAddress (the service's root).", nameof(httpClient));
        var authentication = new ApiKeyHeaderAuthenticationProvider(apiKey, baseAddress, allowUnencryptedHttp);
        _adapter = new HttpClientRequestAdapter(authentication, httpClient: httpClient)
        {
            BaseUrl = baseAddress.GetLeftPart(UriPartial.Path).TrimEnd('/'),
        };
        Generated = new LinkTrackingApiClient(_adapter);
    }

    /// <summary>The whole generated client, for every operation beyond the common flow.</summary>
    public LinkTrackingApiClient Generated { get; }

    /// <summary>An <see cref="HttpClient"/> for <paramref name="baseAddress"/> that retries 429 and 503 after <c>Retry-After</c>.</summary>
    /// <param name="baseAddress">The service's root, e.g. <c>https://links.example.com</c>.</param>
    /// <param name="innerHandler">The transport; a <see cref="SocketsHttpHandler"/> when null (tests pass a TestServer's).</param>
    /// <param name="maxRetries">How many times a 429 or 503 is retried before it is surfaced.</param>
    public static HttpClient CreateHttpClient(Uri baseAddress, HttpMessageHandler? innerHandler = null, int maxRetries = 3) =>
        new(new RetryAfterHandler(innerHandler ?? new SocketsHttpHandler()) { MaxRetries = maxRetries }) { BaseAddress = baseAddress };

    /// <summary>
    /// Creates the standard link package of an application (profile links, the job's links, extra links, optionally a
    /// decoy). Calling it again returns the same links. Needs <c>links:write</c>.
    /// </summary>
    public async Task<ApplicationLinkPackageDto> CreateApplicationLinksAsync(
        Guid applicationId, ApplicationLinkPackageRequest? request = null, CancellationToken cancellationToken = default)
    {
        var package = await Generated.Api.V1.LinkTracking.Applications[applicationId].Links
            .PostAsync(request ?? new ApplicationLinkPackageRequest(), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return package ?? throw new InvalidOperationException("The service answered the link package without a body.");
    }

    /// <summary>All-time figures of an application's links, per link function (human clicks unless <paramref name="includeBots"/>). Needs <c>analytics:read</c>.</summary>
    public async Task<ApplicationLinkSummaryDto> GetApplicationSummaryAsync(
        Guid applicationId, bool includeBots = false, CancellationToken cancellationToken = default)
    {
        var summary = await Generated.Api.V1.LinkTracking.Applications[applicationId].Summary
            .GetAsync(c => c.QueryParameters.IncludeBots = includeBots, cancellationToken)
            .ConfigureAwait(false);
        return summary ?? throw new InvalidOperationException("The service answered the summary without a body.");
    }

    public void Dispose() => _adapter.Dispose();
}
