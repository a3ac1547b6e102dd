using System.Diagnostics;
using System.Net;
using LinkTracking.Client;
using LinkTracking.Client.Generated.Models;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace LinkTracking.WebApi.FunctionalTests.Client;

/// <summary>
/// The retries of <see cref="LinkTrackingClient.CreateHttpClient"/>: Kiota's own RetryHandler, as configured there,
/// over a scripted transport (what the service would answer).
/// </summary>
public sealed class ClientRetryTests
{
    internal static readonly Uri Root = new("http://localhost");

    [TestCase(HttpStatusCode.TooManyRequests)]
    [TestCase(HttpStatusCode.ServiceUnavailable)]
    public async Task Refusal_WithRetryAfter_IsSentAgainInFullAfterThatDelay(HttpStatusCode status)
    {
        var transport = new ScriptedTransport(_ => Answer(status, retryAfterSeconds: 1), _ => Answer(HttpStatusCode.OK));
        using var http = LinkTrackingClient.CreateHttpClient(Root, transport);

        using var response = await http.PostAsync(new Uri("/api/v1/x", UriKind.Relative), new StringContent("{\"a\":1}"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(transport.Sent.Select(s => s.Body), Is.EqualTo(new[] { "{\"a\":1}", "{\"a\":1}" }), "the body is sent again in full");
        Assert.That(transport.Sent[1].At - transport.Sent[0].At, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(0.95)).And.LessThan(TimeSpan.FromSeconds(2.5)), "Retry-After: 1");
        Assert.That(transport.Sent[1].RetryAttempt, Is.EqualTo("1"), "Kiota numbers its retries");
    }

    [Test]
    public async Task Refusals_AreRetriedAtMostMaxRetryTimes_ThenSurfaceAsAnAggregateOfApiExceptions()
    {
        var transport = new ScriptedTransport(_ => Answer(HttpStatusCode.TooManyRequests, retryAfterSeconds: 0));
        using var http = LinkTrackingClient.CreateHttpClient(Root, transport, new RetryHandlerOption { MaxRetry = 2 });

        var error = Assert.ThrowsAsync<AggregateException>(() => http.GetAsync(new Uri("/api/v1/x", UriKind.Relative)));

        Assert.That(transport.Sent, Has.Count.EqualTo(3), "the first attempt and two retries");
        Assert.That(error!.InnerExceptions.Cast<ApiException>().Select(e => e.ResponseStatusCode), Is.EqualTo(new[] { 429, 429, 429 }));
    }

    [Test]
    public async Task OtherErrors_AreNotRetried()
    {
        var transport = new ScriptedTransport(_ => Answer(HttpStatusCode.InternalServerError), _ => Answer(HttpStatusCode.OK));
        using var http = LinkTrackingClient.CreateHttpClient(Root, transport);

        using var response = await http.GetAsync(new Uri("/api/v1/x", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(transport.Sent, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Post_WhoseBodyIsAStreamOfUnknownLength_IsNeverSentTwice()
    {
        var transport = new ScriptedTransport(_ => Answer(HttpStatusCode.ServiceUnavailable, retryAfterSeconds: 0), _ => Answer(HttpStatusCode.OK));
        using var http = LinkTrackingClient.CreateHttpClient(Root, transport);
        using var body = new StreamContent(new UnseekableStream("{\"a\":1}"u8.ToArray()));

        using var response = await http.PostAsync(new Uri("/api/v1/x", UriKind.Relative), body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "the 503 comes back to the caller");
        Assert.That(transport.Sent, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task RedirectsAreNotFollowed_SoTheKeyNeverLeavesTheServicesHost()
    {
        var transport = new ScriptedTransport(_ =>
        {
            var moved = Answer(HttpStatusCode.Found);
            moved.Headers.Location = new Uri("https://elsewhere.example.net/steal");
            return moved;
        });
        using var http = LinkTrackingClient.CreateHttpClient(Root, transport);
        using var client = new LinkTrackingClient(http, "lt_secret");

        Assert.CatchAsync(() => client.GetApplicationSummaryAsync(Guid.NewGuid()));

        Assert.That(transport.Sent.Select(s => s.Uri.Host), Is.EqualTo(new[] { "localhost" }));
    }

    internal static HttpResponseMessage Answer(HttpStatusCode status, int? retryAfterSeconds = null)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent($"{{\"status\":{(int)status}}}") };
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
        }

        return response;
    }
}

/// <summary>The same retries over the live test service: a rate-limit refusal in front of it is ridden out.</summary>
public sealed class ClientRetryOverTheServiceTests(TestProvider provider) : ApiFixture(provider)
{
    [Test]
    public async Task GeneratedClient_OverTheLiveService_RidesOutARateLimitRefusal()
    {
        // The first request is refused as the rate limiter would (429, Retry-After: 1); the retry reaches the service.
        var service = Factory.Server.CreateHandler();
        var refusedOnce = false;
        var transport = new ScriptedTransport(request =>
        {
            if (!refusedOnce)
            {
                refusedOnce = true;
                return ClientRetryTests.Answer(HttpStatusCode.TooManyRequests, retryAfterSeconds: 1);
            }

            return null;
        })
        { Next = service };
        using var http = LinkTrackingClient.CreateHttpClient(ClientRetryTests.Root, transport);
        using var client = new LinkTrackingClient(http, LinkTrackingApiFactory.AdminKey);

        var started = Stopwatch.GetTimestamp();
        var link = await client.Generated.Api.V1.LinkTracking.Create.PostAsync(
            new CreateTrackedLinkCommand { OriginalUrl = "https://example.com/retried", LinkFunction = "Portfolio" });

        Assert.That(link!.TrackingId, Does.StartWith("lt_"));
        Assert.That(Stopwatch.GetElapsedTime(started), Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(0.95)));
        Assert.That(transport.Sent, Has.Count.EqualTo(2));
        Assert.That(transport.Sent[1].Body, Does.Contain("https://example.com/retried"), "Kiota's JSON body has a length, so the POST is retried");
    }
}

internal sealed record Sending(DateTimeOffset At, Uri Uri, string Body, string? RetryAttempt);

/// <summary>Answers the n-th request with the n-th script entry (the last one repeats); null passes it to <see cref="Next"/>.</summary>
internal sealed class ScriptedTransport(params Func<HttpRequestMessage, HttpResponseMessage?>[] script) : HttpMessageHandler
{
    public List<Sending> Sent { get; } = [];

    public HttpMessageHandler? Next { get; init; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Read as a transport would, without buffering: Kiota decides on a retry by whether the body was buffered.
        var body = string.Empty;
        if (request.Content is not null)
        {
            using var reader = new StreamReader(await request.Content.ReadAsStreamAsync(cancellationToken));
            body = await reader.ReadToEndAsync(cancellationToken);
        }

        if (request.Content is not null && Next is not null)
        {
            var headers = request.Content.Headers.ToList();
            request.Content = new StringContent(body);
            request.Content.Headers.Clear();
            foreach (var header in headers)
            {
                request.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        Sent.Add(new Sending(DateTimeOffset.UtcNow, request.RequestUri!, body,
            request.Headers.TryGetValues("Retry-Attempt", out var attempt) ? attempt.Single() : null));
        var answer = script[Math.Min(Sent.Count - 1, script.Length - 1)](request);
        if (answer is null)
        {
            using var invoker = new HttpMessageInvoker(Next!, disposeHandler: false);
            return await invoker.SendAsync(request, cancellationToken);
        }

        answer.RequestMessage = request;
        return answer;
    }
}

internal sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
{
    public override bool CanSeek => false;
}
