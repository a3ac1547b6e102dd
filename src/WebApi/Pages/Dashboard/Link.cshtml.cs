using LinkTracking.Application.Analytics.Queries.GetLinkAnalytics;
using LinkTracking.Application.Links.Queries.GetLinkQrCode;
using LinkTracking.WebApi.Dashboard;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LinkTracking.WebApi.Pages.Dashboard;

/// <summary>One link: the API's link analytics (statistics, timeline, breakdowns, recent clicks) and its addresses.</summary>
public sealed class LinkModel(ISender sender) : PageModel
{
    public int Days { get; private set; }

    public LinkAnalyticsDto Analytics { get; private set; } = null!;

    public DashboardChart Timeline { get; private set; } = null!;

    /// <summary>The click just labelled from this page (<see cref="LabelClickModel"/>), to confirm it.</summary>
    public Guid? Labelled { get; private set; }

    /// <summary>The size of the QR code shown on the page, in pixels.</summary>
    public const int QrCodeSize = 256;

    public async Task OnGetAsync(string trackingId, [FromQuery(Name = "days")] int days, [FromQuery(Name = "labelled")] Guid? labelled, CancellationToken cancellationToken)
    {
        Labelled = labelled;
        Days = IndexModel.Periods.Contains(days) ? days : IndexModel.Periods[0];
        Analytics = await sender.Send(new GetLinkAnalyticsQuery(trackingId, Days), cancellationToken);
        Timeline = new DashboardChart(
            "timeline",
            $"Human clicks per day, last {Days} days",
            Analytics.ClickTimeline.Select(d => d.Date).ToList(),
            [new ChartSeries("Human clicks", DashboardChart.Colors.Human, Analytics.ClickTimeline.Select(d => d.Clicks).ToList())]);
    }

    /// <summary>
    /// The link's QR code (SVG, or PNG with <c>format=png</c>) from the same query as the API's QR route, answered to
    /// the dashboard's session (an <c>img</c> cannot send an API key).
    /// </summary>
    public async Task<IActionResult> OnGetQrAsync(string trackingId, [FromQuery(Name = "format")] string? format, CancellationToken cancellationToken)
    {
        var png = string.Equals(format, GetLinkQrCodeQuery.Png, StringComparison.OrdinalIgnoreCase);
        var image = await sender.Send(
            new GetLinkQrCodeQuery(trackingId, png ? GetLinkQrCodeQuery.Png : GetLinkQrCodeQuery.Svg, png ? 2 * QrCodeSize : QrCodeSize),
            cancellationToken);
        Response.Headers.CacheControl = "private, max-age=86400";
        return File(image.Content, image.ContentType, png ? $"{trackingId}-qr.png" : null);
    }
}
