using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace LinkTracking.WebApi.Dashboard;

/// <summary>Configuration section <c>Dashboard</c>.</summary>
public sealed class DashboardOptions : IValidatableObject
{
    public const string SectionName = "Dashboard";

    /// <summary>
    /// The absolute lifetime of a dashboard session: it ends this long after sign-in however busy it is (besides the
    /// 8 h idle window, <see cref="DashboardAuthentication.IdleTimeout"/>).
    /// </summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    // Not [Range(typeof(TimeSpan), …)]: the source-generated validator's copy of it ignores ErrorMessage, and the
    // message must name the key.
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SessionLifetime <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"{SectionName}:{nameof(SessionLifetime)} must be positive (e.g. 12:00:00).", [nameof(SessionLifetime)]);
        }
    }
}

[OptionsValidator]
public sealed partial class DashboardOptionsValidator : IValidateOptions<DashboardOptions>;
