using Microsoft.Extensions.Options;

namespace LinkTracking.Application.Common.Options;

/// <summary>Configuration section <c>Privacy</c>.</summary>
public sealed class PrivacyOptions
{
    public const string SectionName = "Privacy";

    /// <summary>Days before client IPs are anonymised.</summary>
    [Between(1, OptionLimits.MaxDays, ErrorMessage = "Privacy:IpRetentionDays must be between {1} and {2}.")]
    public int IpRetentionDays { get; set; } = 90;

    /// <summary>Count redirects carrying <c>DNT: 1</c> or <c>Sec-GPC: 1</c> without IP, user agent or session.</summary>
    public bool HonorDoNotTrack { get; set; }

    /// <summary>How often the anonymisation job runs.</summary>
    [PositiveDuration(ErrorMessage = "Privacy:AnonymisationInterval must be longer than zero and at most {2}.")]
    public TimeSpan AnonymisationInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Checks <see cref="PrivacyOptions"/> at start-up (source-generated from the data annotations).</summary>
[OptionsValidator]
public sealed partial class PrivacyOptionsValidator : IValidateOptions<PrivacyOptions>;
