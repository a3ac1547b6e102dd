using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LinkTracking.WebApi.Dashboard;

/// <summary>
/// A dashboard page with a form: keeps what was typed (<see cref="Values"/>) to show it again with the errors, and
/// answers an invalid post with the page and a 400.
/// </summary>
public abstract class DashboardFormModel : PageModel
{
    public Dictionary<string, string?> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>Reads the posted form and keeps these fields' values.</summary>
    protected async Task<IFormCollection> ReadFieldsAsync(IEnumerable<string> fields, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var form = await Request.ReadFormAsync(cancellationToken);
        foreach (var field in fields)
        {
            Values[field] = form.Field(field);
        }

        return form;
    }

    protected PageResult Invalid()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
