using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace LinkTracking.WebApi.Export;

/// <summary>
/// The export answers CSV or NDJSON, never JSON; the controllers' shared <c>[Produces("application/json")]</c> would
/// list JSON for its 200 too. This takes it out of the export's operation in the OpenAPI document.
/// </summary>
public static class ClickExportOpenApi
{
    public static Task RemoveJsonFromExport(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        if (context.Description.RelativePath?.EndsWith("clicks/export", StringComparison.Ordinal) == true
            && operation.Responses?.TryGetValue("200", out var ok) == true)
        {
            ok.Content?.Remove("application/json");
        }

        return Task.CompletedTask;
    }
}
