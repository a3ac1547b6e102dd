using System.Net;
using System.Text.Json;
using LinkTracking.Application.Clicks.Commands.RecordClick;
using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using Moq;

namespace LinkTracking.Application.UnitTests.Clicks;

public sealed class RecordClickCommandHandlerTests
{
    private ClickTestKit _kit = null!;
    private RecordClickCommandHandler _handler = null!;

    [SetUp]
    public void SetUp()
    {
        _kit = new ClickTestKit();
        _handler = new RecordClickCommandHandler(_kit.PartnerClicks(), _kit.Recorder.Object, _kit.Events, _kit.StoredEvents.Object);
    }

    [Test]
    public void Handle_WhenTheSpoolIsOverItsDiskBudget_IsUnavailableAndRecordsNothing()
    {
        _kit.OverDiskBudget = true;
        var command = new RecordClickCommand(ClickTestKit.ActiveId);

        var error = Assert.ThrowsAsync<ServiceUnavailableException>(async () => await _handler.Handle(command, CancellationToken.None));

        Assert.That(error!.RetryAfter, Is.GreaterThan(TimeSpan.Zero));
        _kit.Recorder.Verify(r => r.RecordAsync(It.IsAny<LinkClick>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public void Handle_WhenTheLinkIsUnknown_IsNotFoundAndRecordsNothing()
    {
        var command = new RecordClickCommand(ClickTestKit.UnknownId);

        Assert.ThrowsAsync<NotFoundException>(async () => await _handler.Handle(command, CancellationToken.None));

        _kit.Recorder.Verify(r => r.RecordAsync(It.IsAny<LinkClick>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public void Handle_WhenTheLinkIsInactive_IsAConflictAndRecordsNothing()
    {
        var command = new RecordClickCommand(ClickTestKit.InactiveId);

        Assert.ThrowsAsync<ConflictException>(async () => await _handler.Handle(command, CancellationToken.None));

        _kit.Recorder.Verify(r => r.RecordAsync(It.IsAny<LinkClick>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task Handle_RecordsTheClickAsThePartnerSawIt()
    {
        using var metadata = JsonDocument.Parse("""{"utm_source":"newsletter"}""");
        var command = new RecordClickCommand(
            ClickTestKit.ActiveId,
            ClickedAt: new DateTimeOffset(2025, 7, 27, 23, 0, 0, TimeSpan.FromHours(2)),
            IpAddress: "203.0.113.9",
            UserAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0.0.0",
            ReferrerUrl: "https://mail.google.com/mail/u/0/",
            SessionId: "partner-session-1",
            Metadata: metadata.RootElement);

        var receipt = await _handler.Handle(command, CancellationToken.None);

        var click = _kit.Recorded.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(click.TrackingId.Value, Is.EqualTo(ClickTestKit.ActiveId));
            Assert.That(click.ClickedAt, Is.EqualTo(new DateTime(2025, 7, 27, 21, 0, 0, DateTimeKind.Utc)));
            Assert.That(click.ClickedAt.Kind, Is.EqualTo(DateTimeKind.Utc));
            Assert.That(click.IpAddress, Is.EqualTo(IPAddress.Parse("203.0.113.9")));
            Assert.That(click.UserAgent, Is.EqualTo(command.UserAgent));
            Assert.That(click.ReferrerUrl, Is.EqualTo(command.ReferrerUrl));
            Assert.That(click.SessionId, Is.EqualTo("partner-session-1"));
            Assert.That(click.ClickSource, Is.EqualTo("email"));
            Assert.That(click.Metadata, Is.EqualTo("""{"utm_source":"newsletter"}"""));
            Assert.That(click.IsBot, Is.False);
            Assert.That(receipt.ClickId, Is.EqualTo(click.Id));
            Assert.That(receipt.TrackingId, Is.EqualTo(ClickTestKit.ActiveId));
            Assert.That(receipt.ClickedAt, Is.EqualTo(click.ClickedAt));
            Assert.That(receipt.ClickSource, Is.EqualTo("email"));
        }
    }

    [Test]
    public async Task Handle_WithoutAClickTime_UsesNow()
    {
        var receipt = await _handler.Handle(new RecordClickCommand(ClickTestKit.ActiveId), CancellationToken.None);

        Assert.That(receipt.ClickedAt, Is.EqualTo(_kit.Clock.GetUtcNow().UtcDateTime));
    }

    [Test]
    public async Task Handle_WithoutAReferrer_IsDirect()
    {
        var receipt = await _handler.Handle(new RecordClickCommand(ClickTestKit.ActiveId), CancellationToken.None);

        Assert.That(receipt.ClickSource, Is.EqualTo("direct"));
    }

    [Test]
    public async Task Handle_WhenTheReferrerIsAConfiguredDashboard_IsDashboard()
    {
        var command = new RecordClickCommand(ClickTestKit.ActiveId, ReferrerUrl: "https://dashboard.example.com/applications/1");

        var receipt = await _handler.Handle(command, CancellationToken.None);

        Assert.That(receipt.ClickSource, Is.EqualTo("dashboard"));
    }

    [Test]
    public async Task Handle_WhenTheCallerGivesAClickSource_KeepsItOverTheReferrer()
    {
        var command = new RecordClickCommand(ClickTestKit.ActiveId, ReferrerUrl: "https://www.linkedin.com/feed/", ClickSource: "sms");

        var receipt = await _handler.Handle(command, CancellationToken.None);

        Assert.That(receipt.ClickSource, Is.EqualTo("sms"));
    }

    [Test]
    public async Task Handle_GivesTheClassifierThePartnersFacts_AndStoresItsDecision()
    {
        _kit.Classification = ClickClassification.Bot(BotCategory.Preview, ClickSignals.AgentList);
        var command = new RecordClickCommand(
            ClickTestKit.ActiveId,
            UserAgent: "Slackbot-LinkExpanding 1.0",
            IpAddress: "198.51.100.4",
            Headers: new Dictionary<string, string?> { ["Accept-LANGUAGE"] = "de-DE", ["X-Unknown"] = "ignored" });

        await _handler.Handle(command, CancellationToken.None);

        var click = _kit.Recorded.Single();
        var facts = _kit.Facts.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(facts.Method, Is.EqualTo("GET"));
            Assert.That(facts.UserAgent, Is.EqualTo("Slackbot-LinkExpanding 1.0"));
            Assert.That(facts.IpAddress, Is.EqualTo(IPAddress.Parse("198.51.100.4")));
            Assert.That(facts.Headers?.AcceptLanguage, Is.EqualTo("de-DE"), "header names match whatever their case");
            Assert.That(facts.SentAt, Is.EqualTo(ClickTestKit.SentAt));
            Assert.That(click.BotCategory, Is.EqualTo(BotCategory.Preview));
            Assert.That(click.BotReason, Is.EqualTo("agent_list"));
        }
    }

    [Test]
    public async Task Handle_WithoutHeaders_TellsTheClassifierTheyWereNotSeen()
    {
        await _handler.Handle(new RecordClickCommand(ClickTestKit.ActiveId, UserAgent: "Mozilla/5.0"), CancellationToken.None);

        Assert.That(_kit.Facts.Single().Headers, Is.Null);
    }

    [Test]
    public async Task Handle_WithAnEventId_GivesTheSameClickIdOnEveryRetry()
    {
        var command = new RecordClickCommand(ClickTestKit.ActiveId, EventId: "evt-2025-07-27-0001");

        var first = await _handler.Handle(command, CancellationToken.None);
        _kit.Clock.Advance(TimeSpan.FromMinutes(1));
        var retry = await _handler.Handle(command, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.ClickId, Is.EqualTo(LinkClick.IdForEvent(TrackingId.Parse(ClickTestKit.ActiveId), "evt-2025-07-27-0001")));
            Assert.That(retry.ClickId, Is.EqualTo(first.ClickId));
        }
    }

    [Test]
    public async Task Handle_WithoutAnEventId_GivesEachClickItsOwnId()
    {
        var command = new RecordClickCommand(ClickTestKit.ActiveId);

        var first = await _handler.Handle(command, CancellationToken.None);
        var second = await _handler.Handle(command, CancellationToken.None);

        Assert.That(second.ClickId, Is.Not.EqualTo(first.ClickId));
    }

    [Test]
    public async Task Handle_WhenAnEventIsRetried_AnswersTheFirstClickedAt_AndRecordsItOnce()
    {
        var command = new RecordClickCommand(ClickTestKit.ActiveId, EventId: "evt-7");

        var first = await _handler.Handle(command, CancellationToken.None);
        _kit.Clock.Advance(TimeSpan.FromMinutes(3));
        var retry = await _handler.Handle(command, CancellationToken.None);

        Assert.That(retry, Is.EqualTo(first));
        Assert.That(_kit.Recorded, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Handle_WhenTheEventIsStoredButThisProcessDoesNotKnowIt_AnswersTheStoredClick_AndRecordsNothing()
    {
        var id = LinkClick.IdForEvent(TrackingId.Parse(ClickTestKit.ActiveId), "evt-8");
        var storedAt = new DateTime(2025, 7, 26, 9, 30, 0, DateTimeKind.Utc);
        _kit.Stored[id] = new ClickReceipt(id, ClickTestKit.ActiveId, storedAt, ClickSource.Email);

        var receipt = await _handler.Handle(new RecordClickCommand(ClickTestKit.ActiveId, EventId: "evt-8"), CancellationToken.None);

        Assert.That(receipt, Is.EqualTo(new ClickReceiptDto(id, ClickTestKit.ActiveId, storedAt, ClickSource.Email)));
        Assert.That(_kit.Recorded, Is.Empty);
    }

    [Test]
    public async Task Handle_WhenTheEventLookupFails_RecordsTheClickAnyway()
    {
        _kit.StoredEvents.Setup(s => s.FindAsync(It.IsAny<IReadOnlyCollection<Guid>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new TimeoutException("database down"));

        await _handler.Handle(new RecordClickCommand(ClickTestKit.ActiveId, EventId: "evt-9"), CancellationToken.None);

        Assert.That(_kit.Recorded, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Handle_WhenTheFirstAttemptWasNotDurable_ARetryRecordsIt()
    {
        var command = new RecordClickCommand(ClickTestKit.ActiveId, EventId: "evt-10");
        _kit.Recorder.SetupSequence(r => r.RecordAsync(It.IsAny<LinkClick>(), It.IsAny<CancellationToken>()))
            .Throws(new IOException("disk full"))
            .Returns(ValueTask.CompletedTask);

        Assert.ThrowsAsync<IOException>(async () => await _handler.Handle(command, CancellationToken.None));
        await _handler.Handle(command, CancellationToken.None);

        _kit.Recorder.Verify(r => r.RecordAsync(It.IsAny<LinkClick>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }
}
