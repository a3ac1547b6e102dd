using System.Net;
using System.Text.Json;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>
/// The service composed as Program.cs composes it, with <c>Streaming:Nats:Url</c> set (a NATS server of the test's
/// own): a recorded click and then a user's label of it arrive on the stream, in that order, without anything else
/// asked of the service.
/// </summary>
[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.Postgres)]
public sealed class ClickStreamTests(TestProvider provider)
{
    [Test]
    public async Task ARecordedClick_AndItsLabel_ArriveOnTheStream()
    {
        using var nats = await PrivateNatsServer.StartOrIgnoreAsync();
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var factory = new LinkTrackingApiFactory(database, new Dictionary<string, string?>
        {
            ["Streaming:Nats:Url"] = nats.Url,
            ["Streaming:Nats:Interval"] = "00:00:00.050",
            ["Analytics:RollupInterval"] = "00:00:00.100",
        });
        using var admin = factory.AdminClient();
        var trackingId = (await factory.CreateLinkAsync(new { original_url = "https://www.linkedin.com/in/someone", link_function = "LinkedIn" }))
            .GetProperty("tracking_id").GetString()!;

        using var recorded = await admin.PostAsync("/api/v1/link-tracking/record-click", Json(new { tracking_id = trackingId, ip_address = "73.162.10.20", user_agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36" }));
        var clickId = JsonDocument.Parse(await recorded.Content.ReadAsStringAsync()).RootElement.GetProperty("click_id").GetString()!;
        var stored = await WaitForMessagesAsync(nats.Url, 1);
        using var labelled = await admin.PostAsync($"/api/v1/link-tracking/clicks/{clickId}/label", Json(new { bot_category = "monitor" }));
        var both = await WaitForMessagesAsync(nats.Url, 2);

        Assert.Multiple(() =>
        {
            Assert.That(recorded.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(labelled.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(stored.Single(), Is.EqualTo(("linktracking.clicks.human", clickId, "click.stored")));
            Assert.That(both[1].Subject, Is.EqualTo("linktracking.clicks.monitor"));
            Assert.That(both[1].MsgId, Does.StartWith(clickId + ":r"));
            Assert.That(both[1].Type, Is.EqualTo("click.reclassified"));
        });
    }

    private static StringContent Json(object body) =>
        new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    /// <summary>Reads the stream from its start until it holds <paramref name="count"/> messages (at most 30 s).</summary>
    private static async Task<List<(string Subject, string MsgId, string Type)>> WaitForMessagesAsync(string url, int count)
    {
        await using var connection = new NatsConnection(new NatsOpts { Url = url });
        var js = new NatsJSContext(connection);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                var stream = await js.GetStreamAsync("LINKTRACKING_CLICKS");
                if (stream.Info.State.Messages >= count)
                {
                    break;
                }
            }
            catch (NatsJSApiException e) when (e.Error.Code == 404)
            {
                // Not created yet: the publisher's first round makes it.
            }

            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"the stream did not reach {count} messages");
            await Task.Delay(100);
        }

        var consumer = await js.CreateOrderedConsumerAsync("LINKTRACKING_CLICKS");
        var received = new List<(string, string, string)>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var message in consumer.ConsumeAsync<byte[]>(cancellationToken: timeout.Token))
        {
            var type = JsonDocument.Parse(message.Data).RootElement.GetProperty("type").GetString()!;
            received.Add((message.Subject, message.Headers!["Nats-Msg-Id"].ToString(), type));
            if (received.Count == count)
            {
                break;
            }
        }

        return received;
    }
}
