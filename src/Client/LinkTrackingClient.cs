using LinkTracking.Client.Generated;
using LinkTracking.Client.Generated.Models;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace LinkTracking.Client;

/// <summary>
/// The common flow of the orchestrator over the generated client: create the link package of an application, read its
/// summary. Every other operation is on <see cref="Generated"/>. Errors surface as the generated problem types
/// (<see cref="ProblemDetails"/>, <see cref="ValidationProblemDetails"/>), which are exceptions carrying status,
/// title and detail. Requests send the key in <c>X-API-Key</c>; 429, 503 and 504 are retried after <c>Retry-After</c>
/// by Kiota's <see cref="RetryHandler"/> when the <see cref="HttpClient"/> comes from <see cref="CreateHttpClient"/>.
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

    /// <summary>
    /// An <see cref="HttpClient"/> for <paramref name="baseAddress"/> with Kiota's default middleware, whose
    /// <see cref="RetryHandler"/> retries 429, 503 and 504 after <c>Retry-After</c> (whole seconds; an exponential
    /// back-off from <see cref="RetryHandlerOption.Delay"/> when the header is missing), at most
    /// <see cref="RetryHandlerOption.MaxRetry"/> times, and then throws an <see cref="AggregateException"/> of one
    /// <c>ApiException</c> per refused attempt. A POST, PUT or PATCH whose body has no known length (a stream) is never
    /// sent twice. Kiota's redirect handler is left out: the API never redirects, and following one to another host
    /// would carry <c>X-API-Key</c> there.
    /// </summary>
    /// <param name="baseAddress">The service's root, e.g. <c>https://links.example.com</c>.</param>
    /// <param name="innerHandler">The transport; Kiota's default (a <see cref="SocketsHttpHandler"/>) when null (tests pass a TestServer's).</param>
    /// <param name="retry">Kiota's retry settings; <see cref="RetryHandlerOption"/>'s defaults (3 retries, 3 s base delay) when null.</param>
    public static HttpClient CreateHttpClient(Uri baseAddress, HttpMessageHandler? innerHandler = null, RetryHandlerOption? retry = null)
    {
        var handlers = KiotaClientFactory.CreateDefaultHandlers([retry ?? new RetryHandlerOption()]);
        foreach (var redirect in handlers.OfType<RedirectHandler>().ToList())
        {
            handlers.Remove(redirect);
        }

        var client = KiotaClientFactory.Create(handlers, innerHandler ?? KiotaClientFactory.GetDefaultHttpMessageHandler());
        client.BaseAddress = baseAddress;
        return client;
    }

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
