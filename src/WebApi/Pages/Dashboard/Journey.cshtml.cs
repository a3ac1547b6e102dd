using LinkTracking.Application.Outcomes.Queries.GetApplicationJourney;
using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LinkTracking.WebApi.Pages.Dashboard;

/// <summary>One application's journey (the API's <c>journey</c>) as a timeline.</summary>
public sealed class JourneyModel(ISender sender) : PageModel
{
    public ApplicationJourneyDto Journey { get; private set; } = null!;

    public async Task OnGetAsync(Guid applicationId, CancellationToken cancellationToken) =>
        Journey = await sender.Send(new GetApplicationJourneyQuery(applicationId), cancellationToken);

    /// <summary>"2 d 3 h", "41 min", "12 s": a duration as people read it.</summary>
    public static string Duration(double seconds)
    {
        var span = TimeSpan.FromSeconds(Math.Abs(seconds));
        var text = span.TotalDays >= 1 ? $"{(int)span.TotalDays} d {span.Hours} h"
            : span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes} min"
            : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes} min"
            : $"{span.Seconds} s";
        return seconds < 0 ? "−" + text : text;
    }
}
