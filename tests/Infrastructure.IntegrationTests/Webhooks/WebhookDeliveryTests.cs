using System.Text.Json;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Webhooks;
using LinkTracking.Infrastructure.Webhooks;
using LinkTracking.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace LinkTracking.Infrastructure.IntegrationTests.Webhooks;

/// <summary>
/// The delivery worker against a real receiver (Kestrel on loopback) on both providers: failures and time-outs are
/// retried with the same <c>webhook-id</c>, every event arrives, every signature verifies with the subscriber's secret,
/// and two workers never send one row at the same time.
/// </summary>
public sealed class WebhookDeliveryTests(TestProvider provider) : DatabaseFixture(provider)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Test]
    public async Task AReceiverThatFailsThenTimesOutThenRecovers_GetsEveryEvent_SignedAndWithTheSameIdOnRetries()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Behaviour = n => n switch { 1 => ReceiverAnswer.Fail, 2 => ReceiverAnswer.Hang, 3 => ReceiverAnswer.Fail, _ => ReceiverAnswer.Ok };
        await using var kit = new WebhookKit(Database, TimeProvider.System);
        var (subscription, secret) = await kit.SubscribeAsync(receiver.Url, [WebhookEventTypes.LinkCreated, WebhookEventTypes.LinkDeactivated]);
        await kit.EmitAsync(
            Event(WebhookEventTypes.LinkCreated, "lt_aaaaaaaaaaaa"),
            Event(WebhookEventTypes.LinkCreated, "lt_bbbbbbbbbbbb"),
            Event(WebhookEventTypes.LinkDeactivated, "lt_aaaaaaaaaaaa"),
            Event(WebhookEventTypes.ClickHuman, "lt_cccccccccccc")); // not subscribed: never sent
        var worker = kit.Worker();

        await DeliverUntilAsync(worker, async () => await PendingAsync() == 0);

        var received = receiver.Received;
        var eventIds = await OutboxEventIdsAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(eventIds, Has.Count.EqualTo(3));
            Assert.That(received.Where(r => r.Answer == ReceiverAnswer.Ok).Select(r => r.Id), Is.EquivalentTo(eventIds), "each event acknowledged once");
            Assert.That(received.Select(r => r.Id).Distinct(), Is.EquivalentTo(eventIds), "retries carry the id of their event");
            Assert.That(received, Has.Count.EqualTo(6), "three failed attempts, each retried");
            Assert.That(received.Where(r => !WebhookSignatures.AcceptedByAReceiver(secret, r)), Is.Empty, "every delivery passes a Standard Webhooks receiver's check");
            Assert.That(received.GroupBy(r => r.Id).Select(g => g.Select(r => r.Body).Distinct().Count()), Is.All.EqualTo(1), "a retry sends the same body");
            Assert.That(received.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("type").GetString()), Has.None.EqualTo(WebhookEventTypes.ClickHuman));
        }

        await using var db = Database.CreateContext();
        var log = await db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == subscription.Id).ToListAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(log.Count(d => d.Outcome == "delivered"), Is.EqualTo(3));
            Assert.That(log.Count(d => d.Outcome == "failed" && d.StatusCode == 500), Is.EqualTo(2));
            Assert.That(log.Count(d => d.Outcome == "failed" && d.StatusCode == null && d.Error!.Contains("Timed out", StringComparison.Ordinal)), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task TwoWorkersRacingForTheSameRows_SendEachEventOnce()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        // A long timeout: a slow answer on this loaded machine would be retried (at least once), which is not what this test is about.
        await using var kit = new WebhookKit(Database, TimeProvider.System, new() { AllowPrivateTargets = true, RequireHttps = false, Timeout = TimeSpan.FromSeconds(60) });
        await kit.SubscribeAsync(receiver.Url, [WebhookEventTypes.LinkCreated]);
        await kit.EmitAsync([.. Enumerable.Range(0, 40).Select(i => Event(WebhookEventTypes.LinkCreated, $"lt_race{i:D8}"))]);
        var first = kit.Worker();
        var second = kit.Worker();

        for (var round = 0; round < 10 && await PendingAsync() > 0; round++)
        {
            await Task.WhenAll(first.DeliverDueAsync(CancellationToken.None), second.DeliverDueAsync(CancellationToken.None));
        }

        var ids = receiver.Received.Select(r => r.Id).ToList();
        var twice = ids.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => $"{g.Key} x{g.Count()}");
        await using var db = Database.CreateContext();
        var attempts = await db.WebhookDeliveries.AsNoTracking().Select(d => new { d.OutboxId, d.Attempt, d.Outcome }).ToListAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ids, Has.Count.EqualTo(40).And.Unique, $"{Provider}: sent more than once: {string.Join(", ", twice)}");
            // Two workers holding one row at once would both log it as the same attempt number.
            Assert.That(attempts.GroupBy(a => (a.OutboxId, a.Attempt)).Where(g => g.Count() > 1), Is.Empty);
            Assert.That(attempts.Select(a => a.Outcome).ToList(), Has.Count.EqualTo(40).And.All.EqualTo("delivered"));
        }
    }

    [Test]
    public async Task AnEventThatKeepsFailing_IsGivenUpAfterTheRetryPeriod_AndTheSubscriptionIsDisabledSayingWhy()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Behaviour = _ => ReceiverAnswer.Fail;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var kit = new WebhookKit(Database, clock, new()
        {
            AllowPrivateTargets = true,
            RequireHttps = false,
            InitialRetryDelay = TimeSpan.FromMinutes(1),
            MaxRetryDelay = TimeSpan.FromHours(2),
            RetryPeriod = TimeSpan.FromHours(24),
            DisableAfter = TimeSpan.FromHours(36),
        });
        await using var _ = kit;
        var (subscription, _) = await kit.SubscribeAsync(receiver.Url, [WebhookEventTypes.LinkCreated]);
        await kit.EmitAsync(Event(WebhookEventTypes.LinkCreated, "lt_failfailfail"));
        var worker = kit.Worker();

        await FailUntilNothingIsPendingAsync(worker, clock);
        await using var db = Database.CreateContext();
        var first = await db.WebhookOutbox.AsNoTracking().SingleAsync();
        var log = await db.WebhookDeliveries.AsNoTracking().OrderBy(d => d.Attempt).ToListAsync();
        var afterTheFirst = await db.WebhookSubscriptions.AsNoTracking().SingleAsync(s => s.Id == subscription.Id);
        await kit.EmitAsync(Event(WebhookEventTypes.LinkCreated, "lt_secondevent"));
        await FailUntilNothingIsPendingAsync(worker, clock);
        var disabled = await db.WebhookSubscriptions.AsNoTracking().SingleAsync(s => s.Id == subscription.Id);
        await kit.EmitAsync(Event(WebhookEventTypes.LinkCreated, "lt_afterdisable"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Status, Is.EqualTo(WebhookOutboxStatus.Failed));
            Assert.That(first.CompletedAt - first.CreatedAt, Is.InRange(TimeSpan.FromHours(21), TimeSpan.FromHours(25)), "retried for about 24 h");
            Assert.That(log.Select(d => d.Outcome).Distinct(), Is.EqualTo(new[] { "failed", "gave_up" }));
            Assert.That(log, Has.Count.InRange(8, 30), "backoff: far fewer attempts than the 48 half-hour rounds");
            Assert.That(receiver.Received.Where(r => r.Body.Contains("lt_failfailfail", StringComparison.Ordinal)).Select(r => r.Id).Distinct().Count(), Is.EqualTo(1), "every retry carries the same id");
            Assert.That(afterTheFirst.IsActive, Is.True, "not yet failing for DisableAfter");
            Assert.That(disabled.IsActive, Is.False);
            Assert.That(disabled.DisabledReason, Does.Contain("HTTP 500"));
            Assert.That(await PendingAsync(), Is.Zero, "a disabled subscription gets no new events");
        }
    }

    private async Task FailUntilNothingIsPendingAsync(WebhookDeliveryWorker worker, FakeTimeProvider clock)
    {
        for (var round = 0; round < 200 && await PendingAsync() > 0; round++)
        {
            await worker.DeliverDueAsync(CancellationToken.None);
            clock.Advance(TimeSpan.FromMinutes(30));
        }
    }

    [Test]
    public async Task ATargetOnAPrivateAddress_IsRefusedWhenConnecting_UnlessAllowed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var kit = new WebhookKit(Database, TimeProvider.System, new() { AllowPrivateTargets = false, RequireHttps = false, InitialRetryDelay = TimeSpan.FromHours(1) });
        await using var _ = kit;
        // "localhost" passes no literal-address check; the connect step resolves it and refuses the loopback answer.
        var (subscription, _) = await kit.SubscribeAsync(new UriBuilder(receiver.Url) { Host = "localhost" }.Uri, [WebhookEventTypes.LinkCreated]);
        await kit.EmitAsync(Event(WebhookEventTypes.LinkCreated, "lt_ssrfssrfssrf"));

        await kit.Worker().DeliverDueAsync(CancellationToken.None);

        await using var db = Database.CreateContext();
        var attempt = await db.WebhookDeliveries.AsNoTracking().SingleAsync(d => d.SubscriptionId == subscription.Id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(receiver.Received, Is.Empty);
            Assert.That(attempt.Outcome, Is.EqualTo("failed"));
            Assert.That(attempt.Error, Does.Contain("not a public address"));
        }
    }

    // Stored as they are (as if registered before the rule, or by a name that resolves there): the connect step judges
    // the address it is about to connect to with the same table as registration.
    [TestCase("198.18.0.1")] // benchmarking
    [TestCase("[64:ff9b::7f00:1]")] // NAT64 of 127.0.0.1
    [TestCase("[2002:7f00:1::]")] // 6to4 of 127.0.0.1
    [TestCase("[::ffff:127.0.0.1]")] // IPv4-mapped 127.0.0.1
    public async Task ATargetOnAReservedOrEmbeddedAddress_IsRefusedWhenConnecting(string host)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var kit = new WebhookKit(Database, TimeProvider.System, new() { AllowPrivateTargets = false, RequireHttps = false, Timeout = TimeSpan.FromSeconds(2), InitialRetryDelay = TimeSpan.FromHours(1) });
        await using var _ = kit;
        var (subscription, _) = await kit.SubscribeAsync(new Uri($"http://{host}:{receiver.Url.Port}/hook"), [WebhookEventTypes.LinkCreated]);
        await kit.EmitAsync(Event(WebhookEventTypes.LinkCreated, "lt_reservedaddr"));

        await kit.Worker().DeliverDueAsync(CancellationToken.None);

        await using var db = Database.CreateContext();
        var attempt = await db.WebhookDeliveries.AsNoTracking().SingleAsync(d => d.SubscriptionId == subscription.Id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(receiver.Received, Is.Empty);
            Assert.That(attempt.Outcome, Is.EqualTo("failed"));
            Assert.That(attempt.Error, Does.Contain("not a public address"));
        }
    }

    private static WebhookEventDraft Event(string type, string trackingId) =>
        new(type, null, null, new { tracking_id = trackingId });

    private static async Task DeliverUntilAsync(WebhookDeliveryWorker worker, Func<Task<bool>> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await done())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "deliveries did not finish in time");
            if (await worker.DeliverDueAsync(CancellationToken.None) == 0)
            {
                await Task.Delay(50);
            }
        }
    }

    private async Task<int> PendingAsync()
    {
        await using var db = Database.CreateContext();
        return await db.WebhookOutbox.CountAsync(m => m.Status == WebhookOutboxStatus.Pending);
    }

    private async Task<List<string>> OutboxEventIdsAsync()
    {
        await using var db = Database.CreateContext();
        return await db.WebhookOutbox.AsNoTracking().Select(m => m.EventId).ToListAsync();
    }
}
