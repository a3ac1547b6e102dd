using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LinkTracking.Tests.Shared;

namespace LinkTracking.Resilience.Tests;

/// <summary>
/// The outbox with a real process: events committed with their links survive <c>kill -9</c> of the service while the
/// receiver is down, and are delivered — signed, with their ids — after the restart.
/// </summary>
[NonParallelizable]
public sealed class WebhookCrashTests
{
    [Test]
    public async Task KillMinus9WhileTheReceiverIsDown_LosesNoEvent_AndTheRestartedServiceDeliversThemAll()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Postgres, migrate: false);
        var workDirectory = Directory.CreateTempSubdirectory("linktracking-webhook-crash-").FullName;
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Behaviour = _ => ReceiverAnswer.Fail;
        var settings = new Dictionary<string, string>
        {
            ["Webhooks:AllowPrivateTargets"] = "true",
            ["Webhooks:RequireHttps"] = "false",
            ["Webhooks:InitialRetryDelay"] = "00:00:00.200",
            ["Webhooks:MaxRetryDelay"] = "00:00:01",
            ["DataProtection:KeysDirectory"] = Path.Combine(workDirectory, "keys"),
        };
        var service = await ServiceProcess.StartAsync(database.ConnectionString, workDirectory, settings);
        using var admin = service.CreateClient();
        using var created = await admin.PostAsJsonAsync("/api/v1/link-tracking/webhooks", new Dictionary<string, object>
        {
            ["url"] = receiver.Url.ToString(),
            ["events"] = new[] { "link.created" },
        });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var secret = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("secret").GetString()!;
        var trackingIds = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            trackingIds.Add(await RedirectLoad.CreateLinkAsync(admin));
        }

        // Killed while it is retrying: at least one attempt refused, so rows are leased and rescheduled mid-flight.
        var waitForAttempts = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (receiver.Received.Count == 0 && DateTime.UtcNow < waitForAttempts)
        {
            await Task.Delay(20);
        }

        service.KillHard();
        var failedBeforeTheKill = receiver.Received.Count;
        receiver.Behaviour = _ => ReceiverAnswer.Ok;
        await using var restarted = await ServiceProcess.StartAsync(database.ConnectionString, workDirectory, settings);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (Acknowledged(receiver).Count < trackingIds.Count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        TestContext.Progress.WriteLine($"webhook crash test: {failedBeforeTheKill} attempts refused before kill -9, {receiver.Received.Count} in all");
        var acknowledged = Acknowledged(receiver);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failedBeforeTheKill, Is.GreaterThan(0), "the receiver refused attempts before the kill");
            Assert.That(acknowledged.Select(r => TrackingId(r.Body)), Is.EquivalentTo(trackingIds));
            Assert.That(acknowledged.Select(r => r.Id), Is.Unique);
            Assert.That(receiver.Received.Where(r => !WebhookSignatures.AcceptedByAReceiver(secret, r)), Is.Empty, "every delivery passes a Standard Webhooks receiver's check");
        }

        Directory.Delete(workDirectory, recursive: true);
    }

    private static List<ReceivedWebhook> Acknowledged(WebhookReceiver receiver) =>
        [.. receiver.Received.Where(r => r.Answer == ReceiverAnswer.Ok)];

    private static string TrackingId(string body) =>
        JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("tracking_id").GetString()!;
}
