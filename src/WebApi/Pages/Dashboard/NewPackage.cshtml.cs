using LinkTracking.Application.Common.Options;
using LinkTracking.Application.Links.Commands.CreateApplicationLinkPackage;
using LinkTracking.WebApi.Dashboard;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LinkTracking.WebApi.Pages.Dashboard;

/// <summary>Creates an application's link package with the API's command; its validation messages show per field.</summary>
[Authorize(Policy = DashboardAuthentication.WritePolicy)]
public sealed class NewPackageModel(ISender sender, IOptions<LinkTrackingOptions> options) : DashboardFormModel
{
    private static readonly string[] Fields = ["application_id", "job_id", "job_data.company_website", "job_data.apply_url", "job_data.job_url", "decoy"];

    public IReadOnlyList<string> StandardFunctions => [.. options.Value.StandardLinks.Keys];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var form = await ReadFieldsAsync(Fields, cancellationToken);

        var applicationId = form.GuidField("application_id", ModelState);
        var jobId = form.GuidField("job_id", ModelState);
        if (applicationId is null && ModelState.ErrorFor("application_id") is null)
        {
            ModelState.AddModelError("application_id", "Required.");
        }

        if (!ModelState.IsValid)
        {
            return Invalid();
        }

        var jobData = new JobData(Values["job_data.company_website"], Values["job_data.apply_url"], Values["job_data.job_url"]);
        try
        {
            await sender.Send(
                new CreateApplicationLinkPackageCommand(applicationId!.Value, jobId, jobData, ExtraLinks: null, Decoy: Values["decoy"] == "true"),
                cancellationToken);
            return Redirect($"{DashboardAuthentication.BasePath}/applications/{applicationId}");
        }
        catch (Exception e) when (ModelState.TryAddErrors(e))
        {
            return Invalid();
        }
    }
}
