using LinkTracking.Application.Analytics.Queries.GetLinkAnalytics;
using LinkTracking.WebApi.Dashboard;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LinkTracking.WebApi.Pages.Dashboard;

/// <summary>One link: the API's link analytics (statistics, timeline, breakdowns, recent clicks) and its addresses.</summary>
public sealed class LinkModel(ISender sender, ApiRoutes routes) : PageModel
{
    public int Days { get; private set; }

    public LinkAnalyticsDto Analytics { get; private set; } = null!;

    public DashboardChart Timeline { get; private set; } = null!;

    /// <summary>The API's QR code route of this link, without its format, when the service has one.</summary>
    public string? QrCodeUrl { get; private set; }

    public async Task OnGetAsync(string trackingId, [FromQuery(Name = "days")] int days, CancellationToken cancellationToken)
    {
        Days = IndexModel.Periods.Contains(days) ? days : IndexModel.Periods[0];
        Analytics = await sender.Send(new GetLinkAnalyticsQuery(trackingId, Days), cancellationToken);
        Timeline = new DashboardChart(
            "timeline",
            $"Human clicks per day, last {Days} days",
            Analytics.ClickTimeline.Select(d => d.Date).ToList(),
            [new ChartSeries("Human clicks", DashboardChart.Colors.Human, Analytics.ClickTimeline.Select(d => d.Clicks).ToList())]);
        QrCodeUrl = routes.HasLinkQrCode ? $"/api/v1/link-tracking/links/{Uri.EscapeDataString(Analytics.LinkInfo.TrackingId)}/qr?size=512" : null;
    }
}
