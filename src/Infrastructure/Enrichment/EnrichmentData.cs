using LinkTracking.Application.Common.Options;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Enrichment;

/// <summary>
/// Where the enrichment's shipped data lives (copied next to the assemblies at build, refreshed by
/// <c>scripts/refresh-classification-data.sh</c>): the DB-IP Lite country database (a gzip'd MMDB, CC BY 4.0) and
/// uap-core's <c>regexes.yaml</c> (Apache-2.0).
/// </summary>
public static class EnrichmentData
{
    /// <summary>The data folder in the build output: <c>Enrichment/Data</c> under the application's base directory.</summary>
    public static string DefaultDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "Enrichment", "Data");

    public const string CountryDatabaseFile = "dbip-country.mmdb.gz";
    public const string UserAgentRulesFile = "uap-regexes.yaml";
}

/// <summary>Configuration section <c>ClickEnrichment</c>.</summary>
public sealed class ClickEnrichmentOptions
{
    public const string SectionName = "ClickEnrichment";

    /// <summary>Where <see cref="EnrichmentData.CountryDatabaseFile"/> and <see cref="EnrichmentData.UserAgentRulesFile"/>
    /// are read from; the shipped folder when empty.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>How many recent user agents keep their parsed device, browser and OS (the redirect then runs no regex
    /// for an agent it has seen lately). Memory: at most this many agents of up to 1,000 characters.</summary>
    [Between(1, 10_000_000, ErrorMessage = "ClickEnrichment:AgentCacheSize must be between {1} and {2}.")]
    public int AgentCacheSize { get; set; } = 10_000;
}

/// <summary>Checks <see cref="ClickEnrichmentOptions"/> at start-up (source-generated from the data annotations).</summary>
[OptionsValidator]
public sealed partial class ClickEnrichmentOptionsValidator : IValidateOptions<ClickEnrichmentOptions>;
