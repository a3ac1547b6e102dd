using System.Collections.Concurrent;
using System.Net;
using LinkTracking.Application.Clicks.Enrichment;
using LinkTracking.Domain.Clicks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Enrichment;

/// <summary>
/// Country from the DB-IP Lite database, device type and browser and OS families from uap-core's rules, for every click
/// at ingest. The data is loaded once per process (shared by every host of a test run) when first needed — the
/// <see cref="ClickEnrichmentStartup"/> service asks at start-up. A missing or unreadable file is not a failure: that part
/// of every click is null ("unknown"), the log says so once, and <see cref="Status"/> (the <c>enrichment</c> entry of
/// <c>/track/health</c>) says so until it is fixed. Parsed agents are kept in a bounded cache of recent agents, so a
/// redirect from an agent seen lately runs no regex.
/// </summary>
public sealed partial class ClickEnricher : IClickEnricher
{
    private static readonly ConcurrentDictionary<string, Lazy<CountryDatabase>> Countries = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, Lazy<UserAgentRules>> AgentRules = new(StringComparer.Ordinal);

    private readonly Lazy<Loaded> _loaded;
    private readonly RecentAgents<AgentAnswer> _recent;

    public ClickEnricher(IOptions<ClickEnrichmentOptions> options, ILogger<ClickEnricher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var directory = string.IsNullOrEmpty(options.Value.DataDirectory) ? EnrichmentData.DefaultDirectory : options.Value.DataDirectory;
        _recent = new RecentAgents<AgentAnswer>(Math.Max(2, options.Value.AgentCacheSize));
        _loaded = new Lazy<Loaded>(() => Load(directory, logger), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>What was loaded, for the health check (loads the data if nothing asked yet).</summary>
    public ClickEnrichmentStatus Status => _loaded.Value.Status;

    public ClickEnrichment Enrich(IPAddress? ipAddress, string? userAgent)
    {
        var loaded = _loaded.Value;
        var country = ipAddress is null ? null : loaded.Countries?.Find(ipAddress);
        if (string.IsNullOrWhiteSpace(userAgent) || loaded.Agents is null)
        {
            return country is null ? ClickEnrichment.Unknown : new ClickEnrichment(country, null, null, null);
        }

        var agent = Agent(loaded.Agents, userAgent);
        return new ClickEnrichment(country, agent.Device, agent.Browser, agent.Os);
    }

    private AgentAnswer Agent(UserAgentRules rules, string userAgent)
    {
        if (_recent.TryGet(userAgent, out var known))
        {
            return known;
        }

        var families = rules.Parse(userAgent);
        var answer = new AgentAnswer(DeviceTypeRules.Classify(families, userAgent), Family(families.Browser), Family(families.Os));
        if (userAgent.Length <= LinkClick.MaxUserAgentLength)
        {
            _recent.Add(userAgent, answer);
        }

        return answer;
    }

    /// <summary>uap-core's "Other" is stored as unknown (null); a family is cut to the column's length.</summary>
    private static string? Family(string family) =>
        family == UserAgentRules.Other ? null
        : family.Length > ClickEnrichment.MaxFamilyLength ? family[..ClickEnrichment.MaxFamilyLength]
        : family;

    private static Loaded Load(string directory, ILogger logger)
    {
        var countryPath = Path.GetFullPath(Path.Combine(directory, EnrichmentData.CountryDatabaseFile));
        var rulesPath = Path.GetFullPath(Path.Combine(directory, EnrichmentData.UserAgentRulesFile));
        var countries = TryShared(Countries, countryPath, CountryDatabase.Open, out var countryProblem);
        var agents = TryShared(AgentRules, rulesPath, UserAgentRules.Load, out var agentProblem);
        if (countryProblem is not null)
        {
            LogCountryUnavailable(logger, countryProblem);
        }

        if (agentProblem is not null)
        {
            LogAgentRulesUnavailable(logger, agentProblem);
        }

        return new Loaded(countries, agents, new ClickEnrichmentStatus(
            countries is not null, countryProblem, countries?.BuildDate, agents is not null, agentProblem, agents?.RuleCount ?? 0));
    }

    /// <summary>One loaded file per path for the life of the process; a failure is not kept (a later host tries again).</summary>
    private static T? TryShared<T>(ConcurrentDictionary<string, Lazy<T>> cache, string path, Func<string, T> open, out string? problem)
        where T : class
    {
        problem = null;
        if (!File.Exists(path))
        {
            problem = $"'{path}' is missing";
            return null;
        }

        var lazy = cache.GetOrAdd(path, p => new Lazy<T>(() => open(p), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            cache.TryRemove(new KeyValuePair<string, Lazy<T>>(path, lazy));
            problem = e is InvalidDataException ? e.Message : $"'{path}' cannot be read: {e.Message}";
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Click enrichment: no country database ({Problem}); every click's country is unknown. Run scripts/refresh-classification-data.sh to restore it")]
    private static partial void LogCountryUnavailable(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Click enrichment: no user-agent rules ({Problem}); every click's device, browser and OS are unknown. Run scripts/refresh-classification-data.sh to restore them")]
    private static partial void LogAgentRulesUnavailable(ILogger logger, string problem);

    private sealed record Loaded(CountryDatabase? Countries, UserAgentRules? Agents, ClickEnrichmentStatus Status);

    private sealed record AgentAnswer(DeviceType Device, string? Browser, string? Os);
}

/// <summary>What the enrichment could load: shown by <c>/track/health</c>.</summary>
public sealed record ClickEnrichmentStatus(
    bool CountryAvailable,
    string? CountryProblem,
    DateTime? CountryBuildDate,
    bool AgentRulesAvailable,
    string? AgentRulesProblem,
    int AgentRuleCount)
{
    public bool Complete => CountryAvailable && AgentRulesAvailable;
}
