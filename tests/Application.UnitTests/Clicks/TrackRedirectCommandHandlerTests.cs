using System.Net;
using LinkTracking.Application.Clicks.Classification;
using LinkTracking.Application.Clicks.Commands.TrackRedirect;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using Microsoft.Extensions.Options;
using Moq;

namespace LinkTracking.Application.UnitTests.Clicks;

public sealed class TrackRedirectCommandHandlerTests
{
    private const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
    private static readonly IPAddress ClientIp = IPAddress.Parse("203.0.113.9");

    private ClickTestKit _kit = null!;

    [SetUp]
    public void SetUp() => _kit = new ClickTestKit();

    [TestCase(ClickTestKit.UnknownId)]
    [TestCase(ClickTestKit.InactiveId)]
    public async Task Handle_WhenTheLinkIsUnknownOrInactive_IsNotFoundAndRecordsNothing(string trackingId)
    {
        var handler = Handler();

        var result = await handler.Handle(Redirect(trackingId), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Found, Is.False);
            Assert.That(result.Location, Is.Null);
            _kit.Recorder.Verify(r => r.RecordAsync(It.IsAny<LinkClick>(), It.IsAny<CancellationToken>()), Times.Never);
        }
    }

    [Test]
    public async Task Handle_WhenTheLinkIsActive_RedirectsToItsDestinationAndRecordsTheClick()
    {
        var handler = Handler();

        var result = await handler.Handle(Redirect(ClickTestKit.ActiveId, referrer: "https://www.linkedin.com/feed/", metadata: """{"utm_source":"li"}"""), CancellationToken.None);

        var click = _kit.Recorded.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Location, Is.EqualTo(ClickTestKit.Destination));
            Assert.That(click.TrackingId.Value, Is.EqualTo(ClickTestKit.ActiveId));
            Assert.That(click.ClickedAt, Is.EqualTo(_kit.Clock.GetUtcNow().UtcDateTime));
            Assert.That(click.IpAddress, Is.EqualTo(ClientIp));
            Assert.That(click.UserAgent, Is.EqualTo(Chrome));
            Assert.That(click.SessionId, Is.EqualTo("session-1"));
            Assert.That(click.ReferrerUrl, Is.EqualTo("https://www.linkedin.com/feed/"));
            Assert.That(click.ClickSource, Is.EqualTo("linkedin"));
            Assert.That(click.Metadata, Is.EqualTo("""{"utm_source":"li"}"""));
            Assert.That(click.IsBot, Is.False);
        }
    }

    [Test]
    public async Task Handle_GivesTheClassifierTheRequestFactsAndTheLinksSentAt_AndStoresItsDecision()
    {
        _kit.Classification = ClickClassification.Bot(BotCategory.Scanner, ClickSignals.HeadRequest, ClickSignals.SoonAfterSend);
        var handler = Handler();

        var result = await handler.Handle(Redirect(ClickTestKit.ActiveId, method: "HEAD"), CancellationToken.None);

        var click = _kit.Recorded.Single();
        var facts = _kit.Facts.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Location, Is.EqualTo(ClickTestKit.Destination));
            Assert.That(facts.Method, Is.EqualTo("HEAD"));
            Assert.That(facts.IpAddress, Is.EqualTo(ClientIp));
            Assert.That(facts.UserAgent, Is.EqualTo(Chrome));
            Assert.That(facts.Headers?.AcceptLanguage, Is.EqualTo("en-GB"));
            Assert.That(facts.ClickedAt, Is.EqualTo(_kit.Clock.GetUtcNow().UtcDateTime));
            Assert.That(facts.SentAt, Is.EqualTo(ClickTestKit.SentAt));
            Assert.That(click.IsBot, Is.True);
            Assert.That(click.BotCategory, Is.EqualTo(BotCategory.Scanner));
            Assert.That(click.BotReason, Is.EqualTo("head_request"));
            Assert.That(click.Signals, Is.EqualTo("head_request,soon_after_send"));
        }
    }

    [Test]
    public async Task Handle_RecordsTheClicksOrigin_TheSlash24AroundItsAddress()
    {
        var handler = Handler();

        await handler.Handle(Redirect(ClickTestKit.ActiveId), CancellationToken.None);

        Assert.That(_kit.Recorded.Single().Origin, Is.EqualTo("203.0.113.0/24"));
    }

    [Test]
    public async Task Handle_WhenDoNotTrackIsHonoured_CountsTheClickWithoutPersonalData()
    {
        var handler = Handler(honorDoNotTrack: true);

        var result = await handler.Handle(Redirect(ClickTestKit.ActiveId, doNotTrack: true), CancellationToken.None);

        var click = _kit.Recorded.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Location, Is.EqualTo(ClickTestKit.Destination));
            Assert.That(result.NewSessionId, Is.Null, "no cookie for a visitor who asked not to be tracked");
            Assert.That(click.IpAddress, Is.Null);
            Assert.That(click.UserAgent, Is.Null);
            Assert.That(click.SessionId, Is.Null);
            Assert.That(click.Origin, Is.Null);
            Assert.That(click.ClickedAt, Is.EqualTo(_kit.Clock.GetUtcNow().UtcDateTime));
        }
    }

    [Test]
    public async Task Handle_WhenDoNotTrackIsHonoured_StillClassifiesFromTheAgentItDoesNotKeep()
    {
        _kit.Classification = ClickClassification.Bot(BotCategory.Crawler, ClickSignals.AgentList);
        var handler = Handler(honorDoNotTrack: true);

        await handler.Handle(Redirect(ClickTestKit.ActiveId, userAgent: "curl/8.4.0", doNotTrack: true), CancellationToken.None);

        var click = _kit.Recorded.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_kit.Facts.Single().UserAgent, Is.EqualTo("curl/8.4.0"));
            Assert.That(click.UserAgent, Is.Null);
            Assert.That(click.BotCategory, Is.EqualTo(BotCategory.Crawler));
            Assert.That(click.BotReason, Is.EqualTo("agent_list"));
        }
    }

    [Test]
    public async Task Handle_ForANewVisitor_GivesANewSessionAndRecordsIt()
    {
        var handler = Handler();

        var result = await handler.Handle(Redirect(ClickTestKit.ActiveId, session: null), CancellationToken.None);

        Assert.That(result.NewSessionId, Is.EqualTo("new-session"));
        Assert.That(_kit.Recorded.Single().SessionId, Is.EqualTo("new-session"));
    }

    [Test]
    public async Task Handle_ForAVisitorWithASession_KeepsItAndGivesNoNewOne()
    {
        var handler = Handler();

        var result = await handler.Handle(Redirect(ClickTestKit.ActiveId), CancellationToken.None);

        Assert.That(result.NewSessionId, Is.Null);
        Assert.That(_kit.Recorded.Single().SessionId, Is.EqualTo("session-1"));
    }

    [Test]
    public async Task Handle_WhenDoNotTrackIsNotHonoured_KeepsTheClickDetails()
    {
        var handler = Handler(honorDoNotTrack: false);

        await handler.Handle(Redirect(ClickTestKit.ActiveId, doNotTrack: true), CancellationToken.None);

        var click = _kit.Recorded.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(click.IpAddress, Is.EqualTo(ClientIp));
            Assert.That(click.UserAgent, Is.EqualTo(Chrome));
            Assert.That(click.SessionId, Is.EqualTo("session-1"));
        }
    }

    [Test]
    public async Task Handle_WhenHonouringDoNotTrackButTheBrowserDoesNotAsk_KeepsTheClickDetails()
    {
        var handler = Handler(honorDoNotTrack: true);

        await handler.Handle(Redirect(ClickTestKit.ActiveId, doNotTrack: false), CancellationToken.None);

        Assert.That(_kit.Recorded.Single().IpAddress, Is.EqualTo(ClientIp));
    }

    [Test]
    public async Task Handle_WhenHeadersAreHuge_StillRedirectsAndKeepsTheirBeginning()
    {
        var handler = Handler();
        var userAgent = "Mozilla/5.0 " + new string('x', 5000);
        var referrer = "https://www.linkedin.com/feed/?q=" + new string('r', 5000);

        var result = await handler.Handle(Redirect(ClickTestKit.ActiveId, userAgent: userAgent, referrer: referrer), CancellationToken.None);

        var click = _kit.Recorded.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Found, Is.True);
            Assert.That(click.UserAgent, Is.EqualTo(userAgent[..LinkClick.MaxUserAgentLength]));
            Assert.That(click.ReferrerUrl, Is.EqualTo(referrer[..LinkClick.MaxReferrerLength]));
            Assert.That(click.ClickSource, Is.EqualTo("linkedin"));
        }
    }

    [Test]
    public async Task Handle_WhenTheUtmMetadataIsOverTheLimit_StillRedirectsAndRecordsTheClick()
    {
        // Ten utm_* values of 200 non-ASCII characters come to about 12 000 characters of escaped JSON.
        var handler = Handler();
        var metadata = "{" + string.Join(',', Enumerable.Range(0, 10).Select(i => $"\"utm_{i}\":\"{string.Concat(Enumerable.Repeat("\\u00e9", 200))}\"")) + "}";

        var result = await handler.Handle(Redirect(ClickTestKit.ActiveId, metadata: metadata), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(metadata, Has.Length.GreaterThan(LinkClick.MaxMetadataLength));
            Assert.That(result.Location, Is.EqualTo(ClickTestKit.Destination));
            Assert.That(_kit.Recorded, Has.Count.EqualTo(1));
        }
    }

    [Test]
    public async Task Handle_WhenTheBrowserGivesUp_StillRecordsTheClick()
    {
        var handler = Handler();
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await handler.Handle(Redirect(ClickTestKit.ActiveId), cancellation.Token);

        _kit.Recorder.Verify(r => r.RecordAsync(It.IsAny<LinkClick>(), It.Is<CancellationToken>(t => !t.IsCancellationRequested)), Times.Once);
    }

    private TrackRedirectCommandHandler Handler(bool honorDoNotTrack = false)
    {
        var sessions = new Mock<ISessionIds>();
        sessions.Setup(s => s.New()).Returns("new-session");
        return new(
            _kit.Cache.Object,
            _kit.ClickFactory(),
            _kit.Recorder.Object,
            sessions.Object,
            _kit.Clock,
            Options.Create(new PrivacyOptions { HonorDoNotTrack = honorDoNotTrack }));
    }

    private static TrackRedirectCommand Redirect(
        string trackingId,
        string method = "GET",
        string? userAgent = Chrome,
        string? referrer = null,
        string? metadata = null,
        bool doNotTrack = false,
        string? session = "session-1") =>
        new(
            TrackingId.Parse(trackingId),
            new RedirectRequest(method, ClientIp, userAgent, referrer, session, metadata, doNotTrack, BrowserHeaders));

    private static readonly ClientHeaders BrowserHeaders = new(
        "text/html,application/xhtml+xml", "en-GB", "gzip, br", "none", "navigate", "document", "?1", "\"Chromium\";v=\"126\"", null, null);
}
