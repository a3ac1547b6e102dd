using LinkTracking.Application.Analytics.Queries.GetLinkPerformanceReport;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.UnitTests.Support;
using Moq;

namespace LinkTracking.Application.UnitTests.Analytics;

public sealed class GetLinkPerformanceReportQueryHandlerTests
{
    private Mock<ILinkAnalyticsQueries> _analytics = null!;
    private ScopeTotals _totals = null!;
    private List<FunctionClicks> _functions = null!;
    private List<DailyClicks> _daily = null!;
    private Mock<IOutcomeFunnelQueries> _funnels = null!;
    private GetLinkPerformanceReportQueryHandler _handler = null!;

    [SetUp]
    public void SetUp()
    {
        _analytics = new Mock<ILinkAnalyticsQueries>();
        _totals = new ScopeTotals(0, 0, 0, 0, 0, 0, 0);
        _functions = [];
        _daily = [];
        _analytics.Setup(a => a.GetScopeTotalsAsync(It.IsAny<LinkScope>(), It.IsAny<DateTime?>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => _totals);
        _analytics.Setup(a => a.GetFunctionClicksAsync(It.IsAny<LinkScope>(), It.IsAny<DateTime?>(), It.IsAny<bool>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => _functions);
        _analytics.Setup(a => a.GetBreakdownsAsync(It.IsAny<LinkScope>(), It.IsAny<DateTime?>(), It.IsAny<bool>(), It.IsAny<TimeZoneInfo>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ClickBreakdowns([], [], [], [], new int[24], new int[7]));
        _analytics.Setup(a => a.GetDailyClicksAsync(It.IsAny<LinkScope>(), It.IsAny<DateTime>(), It.IsAny<bool>(), It.IsAny<TimeZoneInfo>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => _daily);
        _funnels = new Mock<IOutcomeFunnelQueries>();
        _funnels.Setup(f => f.GetAsync(It.IsAny<LinkScope>(), It.IsAny<DateTime?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(OutcomeFunnelFacts.Empty);
        _handler = new GetLinkPerformanceReportQueryHandler(_analytics.Object, _funnels.Object, VariantClicks(), Clock.AtStart());
    }

    [Test]
    public async Task Handle_TakesTheFunnelOfTheApplicationsOfLinksCreatedInThePeriod()
    {
        _funnels.Setup(f => f.GetAsync(LinkScope.All, It.IsAny<DateTime?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OutcomeFunnelFacts(new OutcomeCounts(3, 2, 1, 0), OutcomeCounts.None, new OutcomeCounts(1, 0, 0, 0), []));

        var report = await _handler.Handle(new GetLinkPerformanceReportQuery(Days: 7), CancellationToken.None);

        _funnels.Verify(f => f.GetAsync(LinkScope.All, report.ReportPeriod.StartDate, It.IsAny<CancellationToken>()));
        Assert.That(report.Funnel.Select(s => (s.Step, s.Applications)), Is.EqualTo(new[]
        {
            ("sent", 4), ("fetched", 3), ("opened_by_person", 3), ("replied", 2), ("interview", 1), ("offer", 0),
        }));
    }

    [Test]
    public async Task Handle_OrdersFunctionsByClicksMostFirstThenByName()
    {
        _functions.AddRange(
        [
            new FunctionClicks("LinkedIn", 3, 2, 2, null),
            new FunctionClicks("Calendly", 2, 5, 4, null),
            new FunctionClicks("GitHub", 1, 0, 0, null),
            new FunctionClicks("Apply_Now", 1, 2, 1, null),
        ]);

        var report = await _handler.Handle(new GetLinkPerformanceReportQuery(), CancellationToken.None);

        Assert.That(report.FunctionPerformance.Select(f => f.LinkFunction), Is.EqualTo(new[] { "Calendly", "Apply_Now", "LinkedIn", "GitHub" }));
    }

    [Test]
    public async Task Handle_AverageClicksPerLinkIsClicksOverLinksRoundedToTwoDecimals()
    {
        _functions.AddRange(
        [
            new FunctionClicks("LinkedIn", 3, 2, 2, null),
            new FunctionClicks("Calendly", 2, 5, 4, null),
            new FunctionClicks("Portfolio", 3, 1, 1, null),
            new FunctionClicks("Apply_Now", 1, 4, 1, null),
        ]);

        var report = await _handler.Handle(new GetLinkPerformanceReportQuery(), CancellationToken.None);

        var averages = report.FunctionPerformance.ToDictionary(f => f.LinkFunction, f => f.AvgClicksPerLink);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(averages["LinkedIn"], Is.EqualTo(0.67));
            Assert.That(averages["Calendly"], Is.EqualTo(2.5));
            Assert.That(averages["Portfolio"], Is.EqualTo(0.33));
            Assert.That(averages["Apply_Now"], Is.EqualTo(4.0));
        }
    }

    [Test]
    public async Task Handle_WhenAFunctionHasNoLinks_ItsAverageIsZero()
    {
        _functions.Add(new FunctionClicks("LinkedIn", 0, 0, 0, null));

        var report = await _handler.Handle(new GetLinkPerformanceReportQuery(), CancellationToken.None);

        Assert.That(report.FunctionPerformance.Single().AvgClicksPerLink, Is.Zero);
    }

    [Test]
    public async Task Handle_WhenThereAreNoLinks_AnswersWithZerosAndAnEmptyDayForEveryDay()
    {
        var report = await _handler.Handle(new GetLinkPerformanceReportQuery(Days: 7), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.OverallStatistics, Is.EqualTo(new OverallStatisticsDto(0, 0, 0, 0, 0, 0, 0)));
            Assert.That(report.FunctionPerformance, Is.Empty);
            Assert.That(report.DailyTrends, Has.Count.EqualTo(7));
            Assert.That(report.DailyTrends.Select(d => d.Clicks), Has.All.Zero);
        }
    }

    [Test]
    public async Task Handle_ReportsThePeriodAndTheOverallFigures()
    {
        _totals = new ScopeTotals(TotalLinks: 40, ActiveLinks: 35, Jobs: 6, Applications: 9, TotalClicks: 120, UniqueSessions: 80, LinksClicked: 22);

        var report = await _handler.Handle(new GetLinkPerformanceReportQuery(Days: 30), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.ReportPeriod.StartDate, Is.EqualTo(new DateTime(2025, 6, 28, 0, 0, 0, DateTimeKind.Utc)));
            Assert.That(report.ReportPeriod.EndDate, Is.EqualTo(Clock.Start.UtcDateTime));
            Assert.That(report.ReportPeriod.Days, Is.EqualTo(30));
            Assert.That(report.OverallStatistics, Is.EqualTo(new OverallStatisticsDto(40, 35, 6, 9, 120, 80, 22)));
            _analytics.Verify(a => a.GetScopeTotalsAsync(LinkScope.All, new DateTime(2025, 6, 28, 0, 0, 0, DateTimeKind.Utc), false, It.IsAny<CancellationToken>()), Times.Once);
        }
    }

    [Test]
    public async Task Handle_DailyTrendsAreOldestFirstWithEmptyDaysFilled()
    {
        _daily.Add(new DailyClicks(new DateOnly(2025, 7, 27), 5, 4));
        _daily.Add(new DailyClicks(new DateOnly(2025, 7, 25), 1, 1));

        var report = await _handler.Handle(new GetLinkPerformanceReportQuery(Days: 3), CancellationToken.None);

        Assert.That(report.DailyTrends.Select(d => (d.Date, d.Clicks, d.UniqueSessions)), Is.EqualTo(new[]
        {
            (new DateOnly(2025, 7, 25), 1, 1),
            (new DateOnly(2025, 7, 26), 0, 0),
            (new DateOnly(2025, 7, 27), 5, 4),
        }));
    }

    private static IVariantClickQueries VariantClicks()
    {
        var variants = new Mock<IVariantClickQueries>();
        variants.Setup(v => v.GetVariantOutcomesAsync(It.IsAny<LinkScope>(), It.IsAny<DateTime?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([]);
        return variants.Object;
    }
}
