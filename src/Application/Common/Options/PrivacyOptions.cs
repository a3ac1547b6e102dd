namespace LinkTracking.Application.Common.Options;

/// <summary>Configuration section <c>Privacy</c>.</summary>
public sealed class PrivacyOptions
{
    public const string SectionName = "Privacy";

    /// <summary>Days before client IPs are anonymised.</summary>
    public int IpRetentionDays { get; set; } = 90;

    /// <summary>Count redirects carrying <c>DNT: 1</c> or <c>Sec-GPC: 1</c> without IP, user agent or session.</summary>
    public bool HonorDoNotTrack { get; set; }

    /// <summary>How often the anonymisation job runs.</summary>
    public TimeSpan AnonymisationInterval { get; set; } = TimeSpan.FromHours(1);
}
