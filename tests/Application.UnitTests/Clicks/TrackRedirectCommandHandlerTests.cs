using System.Net;
using LinkTracking.Application.Clicks.Classification;
using LinkTracking.Application.Clicks.Commands.TrackRedirect;
using LinkTracking.Application.Common.Interfaces;
using Models = LinkTracking.Application.Common.Models;
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

    private const string LimitedId = "lt_limited0001";
    private const string Fallback = "https://example.com/position-filled";

    private ClickTestKit _kit = null!;
    private Mock<IHumanClickCounts> _humanClicks = null!;

    [SetUp]
    public void SetUp()
    {
        _kit = new ClickTestKit();
        _humanClicks = new Mock<IHumanClickCounts>();
    }

    [Test]
    public async Task Handle_WhenTheLinkHasExpired_IsSpentWithoutFallbackAndRecordsNothing()
    {
        var now = _kit.Clock.GetUtcNow().UtcDateTime;
        SetUpLimitedLink(expiresAt: now, maxHumanClicks: null, fallbackUrl: null);

        var result = await Handler().Handle(Redirect(LimitedId), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Spent, Is.True);
            Assert.That(result.Location, Is.Null);
            Assert.That(_kit.Recorded, Is.Empty);
        }
    }

    [Test]
    public async Task Handle_WhenTheLinkHasExpiredAndHasAFallback_RedirectsToTheFallback()
    {
        var now = _kit.Clock.GetUtcNow().UtcDateTime;
        SetUpLimitedLink(expiresAt: now.AddSeconds(-1), maxHumanClicks: null, fallbackUrl: Fallback);

        var result = await Handler().Handle(Redirect(LimitedId), CancellationToken.None);

        Assert.That(result, Is.EqualTo(new TrackRedirectResult(Fallback, Spent: true)));
    }

    [Test]
    public async Task Handle_BeforeTheExpiry_RedirectsToTheDestination()
    {
        var now = _kit.Clock.GetUtcNow().UtcDateTime;
        SetUpLimitedLink(expiresAt: now.AddSeconds(1), maxHumanClicks: null, fallbackUrl: Fallback);

        var result = await Handler().Handle(Redirect(LimitedId), CancellationToken.None);

        Assert.That(result.Location, Is.EqualTo(ClickTestKit.Destination));
        Assert.That(result.Spent, Is.False);
    }

    [TestCase(2, false)]
    [TestCase(3, true)]
    public async Task Handle_WithAHumanClickLimit_IsSpentOnceTheCountReachesIt(long counted, bool spent)
    {
        SetUpLimitedLink(expiresAt: null, maxHumanClicks: 3, fallbackUrl: null);
        _humanClicks.Setup(h => h.GetAsync(LimitedId, It.IsAny<CancellationToken>())).ReturnsAsync(counted);

        var result = await Handler().Handle(Redirect(LimitedId), CancellationToken.None);

        Assert.That(result.Spent, Is.EqualTo(spent));
        Assert.That(_kit.Recorded, Has.Count.EqualTo(spent ? 0 : 1));
    }

    [Test]
    public async Task Handle_WithAHumanClickLimit_CountsAHumanClickButNotAScannersOne()
    {
        SetUpLimitedLink(expiresAt: null, maxHumanClicks: 3, fallbackUrl: null);
        _humanClicks.Setup(h => h.GetAsync(LimitedId, It.IsAny<CancellationToken>())).ReturnsAsync(0);
        var handler = Handler();

        await handler.Handle(Redirect(LimitedId), CancellationToken.None);
        _kit.Classification = ClickClassification.Bot(BotCategory.Scanner, ClickSignals.HeadRequest);
        await handler.Handle(Redirect(LimitedId, method: "HEAD"), CancellationToken.None);

        _humanClicks.Verify(h => h.NoteHumanClick(LimitedId), Times.Once);
    }

    [Test]
    public async Task Handle_WithoutAHumanClickLimit_NeverAsksForTheCount()
    {
        await Handler().Handle(Redirect(ClickTestKit.ActiveId), CancellationToken.None);

        _humanClicks.Verify(h => h.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        _humanClicks.Verify(h => h.NoteHumanClick(It.IsAny<string>()), Times.Never);
    }

    [Test]
    public async Task Handle_WithASourceOnTheLink_RecordsThatSource()
    {
        var request = Redirect(ClickTestKit.ActiveId, referrer: "https://www.linkedin.com/feed/");

        await Handler().Handle(request with { Request = request.Request with { Source = ClickSource.Qr } }, CancellationToken.None);

        Assert.That(_kit.Recorded.Single().ClickSource, Is.EqualTo("qr"));
    }

    private void SetUpLimitedLink(DateTime? expiresAt, int? maxHumanClicks, string? fallbackUrl) =>
        _kit.Cache.Setup(c => c.GetAsync(TrackingId.Parse(LimitedId), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Models.LinkTarget(LimitedId, ClickTestKit.Destination, IsActive: true)
            {
                ExpiresAt = expiresAt,
                MaxHumanClicks = maxHumanClicks,
                FallbackUrl = fallbackUrl,
            });

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

    [Test]
    public async Task Handle_WithTheBalancersRequestId_RecordsTheClickUnderTheIdOfThatEventOnTheLink()
    {
        var redirect = Redirect(ClickTestKit.ActiveId);
        var command = redirect with { Request = redirect.Request with { RequestId = "req-7" } };

        await Handler().Handle(command, CancellationToken.None);

        var click = _kit.Recorded.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(click.EventId, Is.EqualTo("req-7"));
            Assert.That(click.Id, Is.EqualTo(LinkClick.IdForEvent(TrackingId.Parse(ClickTestKit.ActiveId), "req-7")));
        }
    }

    private TrackRedirectCommandHandler Handler(bool honorDoNotTrack = false)
    {
        var sessions = new Mock<ISessionIds>();
        sessions.Setup(s => s.New()).Returns("new-session");
        return new(
            _kit.Cache.Object,
            _kit.ClickFactory(),
            _kit.Recorder.Object,
            _humanClicks.Object,
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
