using System.Net;
using LinkTracking.Application.Analytics.Queries.GetLinkAnalytics;
using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.UnitTests.Support;
using LinkTracking.Domain.Clicks;
using LinkTracking.Tests.Shared;
using Moq;

namespace LinkTracking.Application.UnitTests.Analytics;

public sealed class GetLinkAnalyticsQueryHandlerTests
{
    private const string TrackingId = "lt_abc123def456";

    private static readonly LinkClickTotals Totals = new(
        TotalClicks: 12,
        UniqueSessions: 7,
        UniqueIps: 5,
        BotClicks: 2,
        Clicks24H: 3,
        Clicks7D: 9,
        FirstClick: new DateTime(2025, 7, 21, 8, 0, 0, DateTimeKind.Utc),
        LastClick: new DateTime(2025, 7, 27, 20, 0, 0, DateTimeKind.Utc),
        ClicksBySource: new Dictionary<string, int> { ["linkedin"] = 8, ["direct"] = 4 });

    private Mock<ITrackedLinkRepository> _links = null!;
    private Mock<ILinkAnalyticsQueries> _analytics = null!;
    private List<DailyClicks> _daily = null!;
    private List<RecentClick> _recent = null!;
    private GetLinkAnalyticsQueryHandler _handler = null!;

    [SetUp]
    public void SetUp()
    {
        _links = new Mock<ITrackedLinkRepository>();
        _analytics = new Mock<ILinkAnalyticsQueries>();
        _daily = [];
        _recent = [];
        _links.Setup(l => l.GetByTrackingIdAsync(TrackingId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new TrackedLinkBuilder().WithTrackingId(TrackingId).Build());
        _analytics.Setup(a => a.GetLinkTotalsAsync(TrackingId, It.IsAny<DateTime>(), It.IsAny<DateTime>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Totals);
        _analytics.Setup(a => a.GetBreakdownsAsync(It.IsAny<LinkScope>(), It.IsAny<DateTime?>(), It.IsAny<bool>(), It.IsAny<TimeZoneInfo>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ClickBreakdowns([], [], [], [], new int[24], new int[7]));
        _analytics.Setup(a => a.GetDailyClicksAsync(It.IsAny<LinkScope>(), It.IsAny<DateTime>(), It.IsAny<bool>(), It.IsAny<TimeZoneInfo>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => _daily);
        _analytics.Setup(a => a.GetRecentClicksAsync(TrackingId, It.IsAny<int>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => _recent);
        var variants = new Mock<IVariantClickQueries>();
        variants.Setup(v => v.GetVariantClicksAsync(It.IsAny<string>(), It.IsAny<DateTime?>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([]);
        _handler = new GetLinkAnalyticsQueryHandler(_links.Object, _analytics.Object, variants.Object, Mapping.CreateLinkDtoMapper(), Clock.AtStart());
    }

    [Test]
    public void Handle_WhenTheLinkIsUnknown_IsNotFound()
    {
        var query = new GetLinkAnalyticsQuery("lt_unknown0001");

        Assert.ThrowsAsync<NotFoundException>(async () => await _handler.Handle(query, CancellationToken.None));
    }

    [Test]
    public async Task Handle_ForAnInactiveLink_StillAnswersWithItsInfo()
    {
        _links.Setup(l => l.GetByTrackingIdAsync(TrackingId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new TrackedLinkBuilder().WithTrackingId(TrackingId).Inactive().Build());

        var analytics = await _handler.Handle(new GetLinkAnalyticsQuery(TrackingId), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(analytics.LinkInfo.TrackingId, Is.EqualTo(TrackingId));
            Assert.That(analytics.LinkInfo.IsActive, Is.False);
            Assert.That(analytics.LinkInfo.RedirectUrl, Is.EqualTo(Mapping.RedirectUrlFor(TrackingId)));
        }
    }

    [Test]
    public async Task Handle_PassesTheStatisticsThrough()
    {
        var analytics = await _handler.Handle(new GetLinkAnalyticsQuery(TrackingId), CancellationToken.None);

        var statistics = analytics.ClickStatistics;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(statistics.TotalClicks, Is.EqualTo(12));
            Assert.That(statistics.UniqueSessions, Is.EqualTo(7));
            Assert.That(statistics.UniqueIps, Is.EqualTo(5));
            Assert.That(statistics.BotClicks, Is.EqualTo(2));
            Assert.That(statistics.Clicks24H, Is.EqualTo(3));
            Assert.That(statistics.Clicks7D, Is.EqualTo(9));
            Assert.That(statistics.FirstClick, Is.EqualTo(Totals.FirstClick));
            Assert.That(statistics.LastClick, Is.EqualTo(Totals.LastClick));
            Assert.That(statistics.ClicksBySource, Is.EquivalentTo(Totals.ClicksBySource));
        }
    }

    [Test]
    public async Task Handle_CountsFromTheStartOfTheFirstDayOfThePeriod()
    {
        // Now is 2025-07-27 21:15:30Z; 7 days are the 21st to the 27th.
        await _handler.Handle(new GetLinkAnalyticsQuery(TrackingId, Days: 7), CancellationToken.None);

        var start = new DateTime(2025, 7, 21, 0, 0, 0, DateTimeKind.Utc);
        using (Assert.EnterMultipleScope())
        {
            _analytics.Verify(a => a.GetLinkTotalsAsync(TrackingId, start, Clock.Start.UtcDateTime, false, It.IsAny<CancellationToken>()), Times.Once);
            _analytics.Verify(a => a.GetDailyClicksAsync(LinkScope.ForLink(TrackingId), start, false, TimeZoneInfo.Utc, It.IsAny<CancellationToken>()), Times.Once);
        }
    }

    [Test]
    public async Task Handle_WhenBotsAreAskedFor_AsksEveryQueryForThem()
    {
        await _handler.Handle(new GetLinkAnalyticsQuery(TrackingId, IncludeBots: true), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            _analytics.Verify(a => a.GetLinkTotalsAsync(TrackingId, It.IsAny<DateTime>(), It.IsAny<DateTime>(), true, It.IsAny<CancellationToken>()), Times.Once);
            _analytics.Verify(a => a.GetDailyClicksAsync(It.IsAny<LinkScope>(), It.IsAny<DateTime>(), true, It.IsAny<TimeZoneInfo>(), It.IsAny<CancellationToken>()), Times.Once);
            _analytics.Verify(a => a.GetRecentClicksAsync(TrackingId, It.IsAny<int>(), true, It.IsAny<CancellationToken>()), Times.Once);
        }
    }

    [Test]
    public async Task Handle_FillsTheTimelineWithOneEntryPerDayOldestFirst()
    {
        _daily.Add(new DailyClicks(new DateOnly(2025, 7, 25), 4, 3));
        _daily.Add(new DailyClicks(new DateOnly(2025, 7, 21), 1, 1));
        _daily.Add(new DailyClicks(new DateOnly(2025, 7, 27), 2, 2));

        var analytics = await _handler.Handle(new GetLinkAnalyticsQuery(TrackingId, Days: 7), CancellationToken.None);

        Assert.That(analytics.ClickTimeline.Select(d => (d.Date, d.Clicks, d.UniqueSessions)), Is.EqualTo(new[]
        {
            (new DateOnly(2025, 7, 21), 1, 1),
            (new DateOnly(2025, 7, 22), 0, 0),
            (new DateOnly(2025, 7, 23), 0, 0),
            (new DateOnly(2025, 7, 24), 0, 0),
            (new DateOnly(2025, 7, 25), 4, 3),
            (new DateOnly(2025, 7, 26), 0, 0),
            (new DateOnly(2025, 7, 27), 2, 2),
        }));
    }

    [TestCase(1)]
    [TestCase(30)]
    [TestCase(365)]
    public async Task Handle_TimelineCoversNDaysEndingToday(int days)
    {
        var analytics = await _handler.Handle(new GetLinkAnalyticsQuery(TrackingId, Days: days), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(analytics.ClickTimeline, Has.Count.EqualTo(days));
            Assert.That(analytics.ClickTimeline[^1].Date, Is.EqualTo(new DateOnly(2025, 7, 27)));
            Assert.That(analytics.ClickTimeline[0].Date, Is.EqualTo(new DateOnly(2025, 7, 27).AddDays(1 - days)));
            Assert.That(analytics.ClickTimeline.Select(d => d.Clicks), Has.All.Zero);
        }
    }

    [Test]
    public async Task Handle_ShowsTheCategoryAndSignalsOfRecentClicks_OnlyWhenBotsAreIncluded()
    {
        var at = new DateTime(2025, 7, 27, 20, 0, 0, DateTimeKind.Utc);
        _recent.Add(new RecentClick(Guid.NewGuid(), at, "email", null, BotCategory.Scanner, "scanner_network,soon_after_send"));

        var withBots = await _handler.Handle(new GetLinkAnalyticsQuery(TrackingId, IncludeBots: true), CancellationToken.None);
        var humansOnly = await _handler.Handle(new GetLinkAnalyticsQuery(TrackingId), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(withBots.RecentClicks[0].BotCategory, Is.EqualTo("scanner"));
            Assert.That(withBots.RecentClicks[0].Signals, Is.EqualTo(new[] { "scanner_network", "soon_after_send" }));
            Assert.That(humansOnly.RecentClicks[0].BotCategory, Is.Null);
            Assert.That(humansOnly.RecentClicks[0].Signals, Is.Null);
        }
    }

    [Test]
    public async Task Handle_MasksTheHostPartOfRecentClickAddresses_AndGivesEachClicksId()
    {
        var at = new DateTime(2025, 7, 27, 20, 0, 0, DateTimeKind.Utc);
        var newest = Guid.NewGuid();
        _recent.Add(new RecentClick(newest, at, "linkedin", IPAddress.Parse("203.0.113.77"), BotCategory.Human, null));
        _recent.Add(new RecentClick(Guid.NewGuid(), at.AddMinutes(-1), "email", IPAddress.Parse("2001:db8:85a3:8d3:1319:8a2e:370:7348"), BotCategory.Human, null));
        _recent.Add(new RecentClick(Guid.NewGuid(), at.AddMinutes(-2), "direct", null, BotCategory.Human, null));

        var analytics = await _handler.Handle(new GetLinkAnalyticsQuery(TrackingId), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(analytics.RecentClicks.Select(c => c.IpPartial), Is.EqualTo(new[] { "203.0.113.*", "2001:db8:85a3:*", null }));
            Assert.That(analytics.RecentClicks.Select(c => c.ClickSource), Is.EqualTo(new[] { "linkedin", "email", "direct" }));
            Assert.That(analytics.RecentClicks[0].ClickedAt, Is.EqualTo(at));
            Assert.That(analytics.RecentClicks[0].ClickId, Is.EqualTo(newest), "the id a label names");
        }
    }

    [Test]
    public async Task Handle_AsksForTheTenNewestClicks()
    {
        await _handler.Handle(new GetLinkAnalyticsQuery(TrackingId), CancellationToken.None);

        _analytics.Verify(a => a.GetRecentClicksAsync(TrackingId, 10, false, It.IsAny<CancellationToken>()), Times.Once);
    }
}
