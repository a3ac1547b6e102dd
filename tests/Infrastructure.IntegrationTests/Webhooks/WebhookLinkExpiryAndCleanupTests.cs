using System.Text.Json;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Links;
using LinkTracking.Domain.Webhooks;
using LinkTracking.Infrastructure.Webhooks;
using LinkTracking.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace LinkTracking.Infrastructure.IntegrationTests.Webhooks;

/// <summary>
/// <c>link.expired</c> on both providers — exactly once per expiry even with two evaluators racing, delivered signed to
/// a receiver; again after a new expiry — and the clean-up of old deliveries.
/// </summary>
public sealed class WebhookLinkExpiryAndCleanupTests(TestProvider provider) : DatabaseFixture(provider)
{
    [Test]
    public async Task ExpiredLinks_AreAnnouncedExactlyOnce_WithTwoEvaluatorsRacing_AndArriveSigned()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var clock = new FakeTimeProvider(TestData.Now);
        await using var kit = new WebhookKit(Database, clock);
        var (_, secret) = await kit.SubscribeAsync(receiver.Url, [WebhookEventTypes.LinkExpired]);
        var expiring = Enumerable.Range(0, 30).Select(i => Expiring(TestData.Now.AddMinutes(10 + (i % 3)))).ToArray();
        var later = Expiring(TestData.Now.AddDays(1));
        var inactive = Expiring(TestData.Now.AddMinutes(5));
        inactive.Deactivate(TestData.Now);
        await TestData.SaveLinksAsync(Database, [.. expiring, later, inactive, TestData.Link()]);
        var one = kit.LinkExpiry();
        var other = kit.LinkExpiry();

        var beforeExpiry = await one.AnnounceAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(15));
        await Task.WhenAll(Race(one), Race(other));
        await one.AnnounceAsync(CancellationToken.None);
        var afterwards = await other.AnnounceAsync(CancellationToken.None);
        var worker = kit.Worker();
        for (var round = 0; round < 20 && await PendingAsync() > 0; round++)
        {
            await worker.DeliverDueAsync(CancellationToken.None);
        }

        var received = receiver.Received;
        var bodies = received.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((beforeExpiry, afterwards), Is.EqualTo((0, 0)));
            Assert.That(bodies.Select(b => b.GetProperty("type").GetString()), Is.All.EqualTo(WebhookEventTypes.LinkExpired));
            Assert.That(
                bodies.Select(b => b.GetProperty("data").GetProperty("tracking_id").GetString()),
                Is.EquivalentTo(expiring.Select(l => l.TrackingId.Value)),
                "each expired active link once; not the one expiring tomorrow, nor the inactive one");
            Assert.That(received.Select(r => r.Id), Is.Unique);
            Assert.That(received.Where(r => !WebhookSignatures.SignedWith(secret, r)), Is.Empty, "signed (on this test's fake clock)");
            Assert.That(bodies[0].GetProperty("data").GetProperty("expires_at").GetDateTime(), Is.InRange(TestData.Now.AddMinutes(10), TestData.Now.AddMinutes(12)));
        }
    }

    [Test]
    public async Task ALinkGivenANewExpiry_IsAnnouncedAgainWhenThatOnePasses()
    {
        var clock = new FakeTimeProvider(TestData.Now);
        await using var kit = new WebhookKit(Database, clock);
        await kit.SubscribeAsync(new Uri("http://127.0.0.1:9/hook"), [WebhookEventTypes.LinkExpired]);
        var link = Expiring(TestData.Now.AddMinutes(1));
        await TestData.SaveLinksAsync(Database, link);
        var evaluator = kit.LinkExpiry();

        clock.Advance(TimeSpan.FromMinutes(2));
        var first = await evaluator.AnnounceAsync(CancellationToken.None);
        await using (var db = Database.CreateContext())
        {
            var stored = await db.Links.SingleAsync(l => l.Id == link.Id);
            stored.ChangeExpiresAt(TestData.Now.AddHours(1), clock.GetUtcNow().UtcDateTime, null);
            await db.SaveChangesAsync();
        }

        var extended = await evaluator.AnnounceAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(2));
        var second = await evaluator.AnnounceAsync(CancellationToken.None);
        var third = await evaluator.AnnounceAsync(CancellationToken.None);

        await using var check = Database.CreateContext();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((first, extended, second, third), Is.EqualTo((1, 0, 1, 0)));
            Assert.That(await check.WebhookOutbox.CountAsync(m => m.Type == WebhookEventTypes.LinkExpired), Is.EqualTo(2));
        }
    }

    [Test]
    public async Task TheCleanUp_DeletesOnlyFinishedDeliveriesAndAttemptsOlderThanTheKeepPeriod()
    {
        var clock = new FakeTimeProvider(TestData.Now);
        await using var kit = new WebhookKit(Database, clock, new WebhookOptions { AllowPrivateTargets = true, RequireHttps = false, KeepDeliveriesDays = 30 });
        var (subscription, _) = await kit.SubscribeAsync(new Uri("http://127.0.0.1:9/hook"), [WebhookEventTypes.LinkCreated]);
        var deliveredOld = Finished(subscription.Id, WebhookOutboxStatus.Delivered, TestData.Now.AddDays(-40));
        var failedOld = Finished(subscription.Id, WebhookOutboxStatus.Failed, TestData.Now.AddDays(-31));
        var deliveredRecent = Finished(subscription.Id, WebhookOutboxStatus.Delivered, TestData.Now.AddDays(-10));
        var pendingOld = WebhookOutbox.NewMessage(WebhookOutbox.NewEventId(TestData.Now.AddDays(-40)), subscription.Id, WebhookEventTypes.LinkCreated, "{}", TestData.Now.AddDays(-40));
        await using (var db = Database.CreateContext())
        {
            db.WebhookOutbox.AddRange(deliveredOld, failedOld, deliveredRecent, pendingOld);
            // More old attempts than one delete batch.
            db.WebhookDeliveries.AddRange(Enumerable.Range(0, WebhookCleanup.DeleteBatchSize + 500).Select(i => Attempt(deliveredOld, TestData.Now.AddDays(-35).AddSeconds(i))));
            db.WebhookDeliveries.Add(Attempt(deliveredRecent, TestData.Now.AddDays(-29)));
            await db.SaveChangesAsync();
        }

        var deleted = await kit.Cleanup().DeleteOldAsync(CancellationToken.None);

        await using var check = Database.CreateContext();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(deleted, Is.EqualTo(WebhookCleanup.DeleteBatchSize + 500 + 2));
            Assert.That(await check.WebhookOutbox.Select(m => m.Id).ToListAsync(), Is.EquivalentTo(new[] { deliveredRecent.Id, pendingOld.Id }));
            Assert.That(await check.WebhookDeliveries.Select(d => d.OutboxId).ToListAsync(), Is.EqualTo(new[] { deliveredRecent.Id }));
        }
    }

    private static TrackedLink Expiring(DateTime expiresAt) =>
        TrackedLink.Create(TrackingId.NewId(), TargetUrl.Create("https://example.com/cv"), "LinkedIn", null, null, null, null, null, TestData.Now, limits: new LinkLimits(expiresAt, null, null));

    private static WebhookOutboxMessage Finished(Guid subscriptionId, string status, DateTime completedAt)
    {
        var message = WebhookOutbox.NewMessage(WebhookOutbox.NewEventId(completedAt), subscriptionId, WebhookEventTypes.LinkCreated, "{}", completedAt.AddMinutes(-1));
        message.Status = status;
        message.CompletedAt = completedAt;
        message.Attempts = 1;
        return message;
    }

    private static WebhookDeliveryAttempt Attempt(WebhookOutboxMessage message, DateTime at) => new()
    {
        Id = Guid.NewGuid(),
        OutboxId = message.Id,
        SubscriptionId = message.SubscriptionId,
        EventId = message.EventId,
        EventType = message.Type,
        Attempt = 1,
        AttemptedAt = at,
        Outcome = "delivered",
        StatusCode = 200,
    };

    private static async Task Race(LinkExpiryAnnouncer evaluator)
    {
        try
        {
            await evaluator.AnnounceAsync(CancellationToken.None);
        }
        catch (DbUpdateException)
        {
            // SQLite: the loser may find the database busy; its round is lost and the next one finds nothing left.
        }
        catch (InvalidOperationException)
        {
        }
    }

    private async Task<int> PendingAsync()
    {
        await using var db = Database.CreateContext();
        return await db.WebhookOutbox.CountAsync(m => m.Status == WebhookOutboxStatus.Pending);
    }
}
