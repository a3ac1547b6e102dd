using LinkTracking.Application.Analytics.Queries.GetDailyTraffic;
using LinkTracking.Application.Analytics.Queries.GetLinkPerformanceReport;
using LinkTracking.Application.Analytics.Queries.ListApplicationActivity;
using LinkTracking.WebApi.Dashboard;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LinkTracking.WebApi.Pages.Dashboard;

/// <summary>The overview: the API's report, all traffic per day by kind, and the applications first clicked this week.</summary>
public sealed class IndexModel(ISender sender, TimeProvider timeProvider) : PageModel
{
    public static readonly int[] Periods = [30, 90];
    public const int TopFunctions = 10;
    public const int FirstClickedLimit = 50;

    public int Days { get; private set; }

    public LinkPerformanceReportDto Report { get; private set; } = null!;

    public DashboardChart Chart { get; private set; } = null!;

    public DateTime WeekStart { get; private set; }

    public IReadOnlyList<ApplicationActivityDto> FirstClickedThisWeek { get; private set; } = [];

    public async Task OnGetAsync([FromQuery(Name = "days")] int days, CancellationToken cancellationToken)
    {
        Days = Periods.Contains(days) ? days : Periods[0];
        Report = await sender.Send(new GetLinkPerformanceReportQuery(Days), cancellationToken);
        var traffic = await sender.Send(new GetDailyTrafficQuery(Days), cancellationToken);
        WeekStart = StartOfWeek(timeProvider.GetUtcNow().UtcDateTime);
        FirstClickedThisWeek = await sender.Send(new ListApplicationActivityQuery(FirstHumanClickFrom: WeekStart, Limit: FirstClickedLimit), cancellationToken);

        Chart = new DashboardChart(
            "traffic",
            $"Clicks per day, last {Days} days: people, scanners and other bots stacked",
            traffic.Days.Select(d => d.Date).ToList(),
            [
                new ChartSeries("Human", DashboardChart.Colors.Human, traffic.Days.Select(d => d.Human).ToList()),
                new ChartSeries("Scanners", DashboardChart.Colors.Scanner, traffic.Days.Select(d => d.Scanner).ToList()),
                new ChartSeries("Other bots", DashboardChart.Colors.OtherBots, traffic.Days.Select(d => d.OtherBots).ToList()),
            ],
            Stacked: true);
    }

    /// <summary>Monday 00:00 UTC of the week of <paramref name="nowUtc"/> (ISO weeks).</summary>
    public static DateTime StartOfWeek(DateTime nowUtc)
    {
        var sinceMonday = ((int)nowUtc.DayOfWeek + 6) % 7;
        return DateTime.SpecifyKind(nowUtc.Date.AddDays(-sinceMonday), DateTimeKind.Utc);
    }
}
