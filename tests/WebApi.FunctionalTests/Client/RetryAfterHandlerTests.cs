using System.Net;
using LinkTracking.Client;
using Microsoft.Extensions.Time.Testing;

namespace LinkTracking.WebApi.FunctionalTests.Client;

public sealed class RetryAfterHandlerTests
{
    [TestCase(HttpStatusCode.TooManyRequests)]
    [TestCase(HttpStatusCode.ServiceUnavailable)]
    public async Task Send_WhenTheServiceSaysRetryAfter_WaitsThatLongThenRetries(HttpStatusCode status)
    {
        var time = new FakeTimeProvider();
        var transport = new ScriptedHandler(time, Answer(status, TimeSpan.FromSeconds(2)), Answer(HttpStatusCode.OK));
        using var client = new HttpClient(new RetryAfterHandler(transport, time));

        var sending = client.PostAsync(new Uri("http://localhost/x"), new StringContent("{\"a\":1}"));
        for (var step = 0; step < 100 && !sending.IsCompleted; step++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(5);
        }

        using var response = await sending;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(transport.Bodies, Is.EqualTo(new[] { "{\"a\":1}", "{\"a\":1}" }), "the body is sent again in full");
        Assert.That(transport.Times[1] - transport.Times[0], Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(2)).And.LessThan(TimeSpan.FromSeconds(2.5)));
    }

    [Test]
    public async Task Send_AfterMaxRetries_ReturnsTheLastRefusal()
    {
        var transport = new ScriptedHandler(TimeProvider.System, Answer(HttpStatusCode.TooManyRequests, TimeSpan.Zero), Answer(HttpStatusCode.TooManyRequests, TimeSpan.Zero), Answer(HttpStatusCode.OK));
        using var client = new HttpClient(new RetryAfterHandler(transport) { MaxRetries = 1 });

        using var response = await client.GetAsync(new Uri("http://localhost/x"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(transport.Bodies, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Send_OnOtherErrors_DoesNotRetry()
    {
        var transport = new ScriptedHandler(TimeProvider.System, Answer(HttpStatusCode.InternalServerError), Answer(HttpStatusCode.OK));
        using var client = new HttpClient(new RetryAfterHandler(transport));

        using var response = await client.GetAsync(new Uri("http://localhost/x"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(transport.Bodies, Has.Count.EqualTo(1));
    }

    private static HttpResponseMessage Answer(HttpStatusCode status, TimeSpan? retryAfter = null)
    {
        var response = new HttpResponseMessage(status);
        if (retryAfter is { } delay)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(delay);
        }

        return response;
    }

    private sealed class ScriptedHandler(TimeProvider time, params HttpResponseMessage[] answers) : HttpMessageHandler
    {
        private readonly Queue<HttpResponseMessage> _answers = new(answers);

        public List<string> Bodies { get; } = [];

        public List<DateTimeOffset> Times { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Times.Add(time.GetUtcNow());
            Bodies.Add(request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken));
            return _answers.Dequeue();
        }
    }
}
