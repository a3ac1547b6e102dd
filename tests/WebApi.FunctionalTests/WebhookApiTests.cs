using System.Diagnostics;
using System.Net;
using System.Text.Json;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>Webhook subscriptions over HTTP: the secret once, 400s naming the field, a created link and an expired one announced, signed.</summary>
public sealed class WebhookApiTests(TestProvider provider) : ApiFixture(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Webhooks:AllowPrivateTargets"] = "true",
        ["Webhooks:RequireHttps"] = "false",
        ["Webhooks:InitialRetryDelay"] = "00:00:01",
        ["Webhooks:Alerts:Interval"] = "00:00:01",
    };

    [Test]
    public async Task Create_ShowsTheSecretOnce_ListHidesIt_DeleteRemovesIt()
    {
        using var created = await PostJsonAsync(Admin, $"{Api}/webhooks", new { url = "https://hooks.example.com/lt", events = new[] { "link.created", "click.human", "click.reclassified" } });
        var body = await ReadJsonAsync(created);
        var id = body.GetProperty("id").GetString();

        using var list = await Admin.GetAsync($"{Api}/webhooks");
        var listed = await list.Content.ReadAsStringAsync();
        using var deleted = await Admin.DeleteAsync($"{Api}/webhooks/{id}");
        using var again = await Admin.DeleteAsync($"{Api}/webhooks/{id}");

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(body.GetProperty("secret").GetString(), Does.StartWith("whsec_"));
        Assert.That(body.GetProperty("events").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "link.created", "click.human", "click.reclassified" }));
        Assert.That(listed, Does.Contain(id).And.Not.Contain(body.GetProperty("secret").GetString()!).And.Not.Contain("secret"));
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [TestCase("""{"url":"https://hooks.example.com/lt","events":["link.nope"]}""", "events")]
    [TestCase("""{"url":"https://hooks.example.com/lt","events":[]}""", "events")]
    [TestCase("""{"url":"https://hooks.example.com/lt"}""", "events")]
    [TestCase("""{"url":"not a url","events":["link.created"]}""", "url")]
    [TestCase("""{"events":["link.created"]}""", "url")]
    [TestCase("""{"url":"https://hooks.example.com/lt","events":["link.created"],"application_id":"00000000-0000-0000-0000-000000000000"}""", "application_id")]
    public async Task Create_WithBadInput_Is400NamingTheField(string json, string field)
    {
        using var response = await Admin.PostAsync($"{Api}/webhooks", JsonBody(json));

        await AssertValidationErrorAsync(response, field);
    }

    [Test]
    public async Task ACreatedLink_IsAnnouncedSigned_AndARedeliveryCarriesTheSameId()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var created = await PostJsonAsync(Admin, $"{Api}/webhooks", new { url = receiver.Url.ToString(), events = new[] { "link.created" } });
        var webhook = await ReadJsonAsync(created);
        var secret = webhook.GetProperty("secret").GetString()!;
        var webhookId = webhook.GetProperty("id").GetString();

        var trackingId = await CreateLinkIdAsync();
        await PumpUntilAsync(() => receiver.Received.Count >= 1);
        var deliveries = await GetJsonAsync($"{Api}/webhooks/{webhookId}/deliveries");
        var deliveryId = deliveries.EnumerateArray().Single().GetProperty("id").GetString();
        using var redeliver = await Admin.PostAsync($"{Api}/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver", null);
        await PumpUntilAsync(() => receiver.Received.Count >= 2);

        var first = receiver.Received[0];
        var data = JsonDocument.Parse(first.Body).RootElement;
        Assert.That(data.GetProperty("type").GetString(), Is.EqualTo("link.created"));
        Assert.That(data.GetProperty("data").GetProperty("tracking_id").GetString(), Is.EqualTo(trackingId));
        Assert.That(WebhookSignatures.SignedWith(secret, first), Is.True, "signed (on the service's fake clock)");
        Assert.That(deliveries.EnumerateArray().Single().GetProperty("outcome").GetString(), Is.EqualTo("delivered"));
        Assert.That(redeliver.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(receiver.Received[1].Id, Is.EqualTo(first.Id));
        Assert.That(receiver.Received[1].Body, Is.EqualTo(first.Body));
    }

    [Test]
    public async Task ARecordedOutcome_IsAnnouncedOnce_EvenWhenRetried()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var created = await PostJsonAsync(Admin, $"{Api}/webhooks", new { url = receiver.Url.ToString(), events = new[] { "application.outcome" } });
        var applicationId = Guid.NewGuid();
        var outcomes = $"{Api}/applications/{applicationId}/outcomes";

        using var first = await PostJsonAsync(Admin, outcomes, new { stage = "interview", event_id = "cal-7", note = "Tuesday" });
        using var retry = await PostJsonAsync(Admin, outcomes, new { stage = "interview", event_id = "cal-7", note = "Tuesday" });
        await PumpUntilAsync(() => receiver.Received.Count >= 1);
        var webhookId = (await ReadJsonAsync(created)).GetProperty("id").GetString();
        var deliveries = await GetJsonAsync($"{Api}/webhooks/{webhookId}/deliveries");

        var body = JsonDocument.Parse(receiver.Received[0].Body).RootElement;
        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("application.outcome"));
        Assert.That(body.GetProperty("data").GetProperty("application_id").GetGuid(), Is.EqualTo(applicationId));
        Assert.That(body.GetProperty("data").GetProperty("stage").GetString(), Is.EqualTo("interview"));
        Assert.That(body.GetProperty("data").GetProperty("outcome_id").GetGuid(), Is.EqualTo((await ReadJsonAsync(first)).GetProperty("id").GetGuid()));
        Assert.That(deliveries.GetArrayLength(), Is.EqualTo(1));
    }

    [Test]
    public async Task ALinkPastItsExpiry_IsAnnouncedOnceAsLinkExpired_Signed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var created = await PostJsonAsync(Admin, $"{Api}/webhooks", new { url = receiver.Url.ToString(), events = new[] { "link.expired" } });
        var secret = (await ReadJsonAsync(created)).GetProperty("secret").GetString()!;
        var expiresAt = Factory.Time.GetUtcNow().AddMinutes(1);
        var link = await Factory.CreateLinkAsync(new { original_url = "https://example.com/cv", link_function = "Resume", expires_at = expiresAt });
        var trackingId = link.GetProperty("tracking_id").GetString();

        Factory.Time.Advance(TimeSpan.FromMinutes(2));
        await PumpUntilAsync(() => receiver.Received.Count >= 1);
        await PumpForAsync(TimeSpan.FromSeconds(5)); // more evaluator rounds: nothing more to send

        var received = receiver.Received;
        Assert.That(received, Has.Count.EqualTo(1));
        var body = JsonDocument.Parse(received[0].Body).RootElement;
        Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("link.expired"));
        Assert.That(body.GetProperty("data").GetProperty("tracking_id").GetString(), Is.EqualTo(trackingId));
        Assert.That(body.GetProperty("data").GetProperty("expires_at").GetDateTimeOffset(), Is.EqualTo(expiresAt).Within(TimeSpan.FromMilliseconds(1)));
        Assert.That(WebhookSignatures.SignedWith(secret, received[0]), Is.True, "signed (on the service's fake clock)");
    }

    [Test]
    public async Task ADelivery_CarriesNoTraceContext_WhileOtherOutgoingRequestsStillDo()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var created = await PostJsonAsync(Admin, $"{Api}/webhooks", new { url = receiver.Url.ToString(), events = new[] { "link.created" } });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await CreateLinkIdAsync();
        await PumpUntilAsync(() => receiver.Received.Count >= 1);

        // Any other client of the process, inside a trace: propagation is off for the webhook client only.
        using (new Activity("another-outgoing-call").Start())
        using (var other = new HttpClient())
        using (var answer = await other.PostAsync(receiver.Url, new StringContent("{}")))
        {
            Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var delivery = receiver.Received.First(r => r.Id is not null);
        var control = receiver.Received.First(r => r.Id is null);
        Assert.That(delivery.Headers.Keys, Has.None.AnyOf("traceparent", "tracestate", "baggage", "request-id", "correlation-context"), string.Join(", ", delivery.Headers.Keys));
        Assert.That(control.Headers.Keys, Does.Contain("traceparent"));
    }

    /// <summary>The service's clock is fake: move it so the delivery worker's poll wakes up.</summary>
    private async Task PumpUntilAsync(Func<bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!done())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "no delivery in time");
            Factory.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(100);
        }

        await Task.Delay(300); // let the worker finish its books
    }

    /// <summary>Moves the fake clock for <paramref name="time"/> in 1 s steps, letting the background services run.</summary>
    private async Task PumpForAsync(TimeSpan time)
    {
        for (var moved = TimeSpan.Zero; moved < time; moved += TimeSpan.FromSeconds(1))
        {
            Factory.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(100);
        }
    }

    private static StringContent JsonBody(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
