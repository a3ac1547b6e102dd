using System.Security.Claims;
using LinkTracking.Application.Clicks.Labels;
using LinkTracking.Domain.Clicks;
using LinkTracking.WebApi.Dashboard;
using LinkTracking.WebApi.Infrastructure;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LinkTracking.WebApi.Pages.Dashboard;

/// <summary>
/// Corrects one click's verdict with the API's label command (<c>POST …/clicks/{click_id}/label</c>), so its validation
/// applies; the link page's recent clicks post here. Back to the link page once labelled.
/// </summary>
[Authorize(Policy = DashboardAuthentication.WritePolicy)]
public sealed class LabelClickModel(ISender sender) : DashboardFormModel
{
    private static readonly string[] Fields = ["bot_category", "note", "scope"];

    public Guid ClickId { get; private set; }

    public static IReadOnlyList<string> Categories { get; } = [.. BotCategories.All.Select(c => c.Name())];

    public static IReadOnlyList<string> Scopes { get; } = [LabelClickCommand.ClickScope, LabelClickCommand.OriginScope];

    public void OnGet(Guid clickId) => ClickId = clickId;

    public async Task<IActionResult> OnPostAsync(Guid clickId, CancellationToken cancellationToken)
    {
        ClickId = clickId;
        await ReadFieldsAsync(Fields, cancellationToken);
        var keyId = Guid.TryParse(User.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim), out var id) ? id : (Guid?)null;
        try
        {
            var labelled = await sender.Send(new LabelClickCommand(clickId, Values["bot_category"], Values["note"], Values["scope"], keyId), cancellationToken);
            return Redirect($"{DashboardAuthentication.BasePath}/links/{labelled.TrackingId}?labelled={labelled.ClickId}#recent-heading");
        }
        catch (Exception e) when (ModelState.TryAddErrors(e))
        {
            return Invalid();
        }
    }
}
