using LinkTracking.Application.Common.Options;
using LinkTracking.Application.Links.Commands.CreateTrackedLink;
using LinkTracking.Domain.Links;
using LinkTracking.WebApi.Dashboard;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LinkTracking.WebApi.Pages.Dashboard;

/// <summary>Creates one link with the API's command, so the API's validation applies and its messages show per field.</summary>
[Authorize(Policy = DashboardAuthentication.WritePolicy)]
public sealed class NewLinkModel(ISender sender, IOptions<LinkTrackingOptions> options) : DashboardFormModel
{
    private static readonly string[] Fields = ["original_url", "link_function", "link_type", "job_id", "application_id", "description", "domain"];

    /// <summary>A choice list when the deployment restricts the functions (<c>LinkTracking:AllowedFunctions</c>).</summary>
    public IReadOnlyList<string>? AllowedFunctions => options.Value.AllowedFunctions.Count == 0 ? null : [.. options.Value.AllowedFunctions];

    public IReadOnlyList<string> LinkTypes => LinkType.All;

    /// <summary>The branded domains a link may be created on (<c>LinkTracking:Domains</c>); null when none are configured.</summary>
    public IReadOnlyList<string>? Domains => options.Value.Domains.Count == 0 ? null : [.. options.Value.Domains.Select(d => d.NormalisedHost)];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var form = await ReadFieldsAsync([.. Fields, .. VariantFormFields.Names], cancellationToken);

        var jobId = form.GuidField("job_id", ModelState);
        var applicationId = form.GuidField("application_id", ModelState);
        var variants = VariantFormFields.Read(Values, ModelState);
        if (!ModelState.IsValid)
        {
            return Invalid();
        }

        try
        {
            var link = await sender.Send(
                new CreateTrackedLinkCommand(Values["original_url"], Values["link_function"], Values["link_type"], jobId, applicationId, Values["description"], User.Identity?.Name)
                {
                    Variants = variants,
                    Domain = Values.GetValueOrDefault("domain") is { Length: > 0 } domain ? domain : null,
                },
                cancellationToken);
            return Redirect($"{DashboardAuthentication.BasePath}/links/{link.TrackingId}");
        }
        catch (Exception e) when (ModelState.TryAddErrors(e))
        {
            return Invalid();
        }
    }
}
