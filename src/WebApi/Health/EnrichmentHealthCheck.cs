using LinkTracking.Infrastructure.Enrichment;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LinkTracking.WebApi.Health;

/// <summary>
/// Click enrichment's data: degraded while the country database or the user-agent rules could not be loaded (clicks
/// are still recorded, with that part unknown), healthy otherwise. Never unhealthy: enrichment is never a failure.
/// </summary>
public sealed class EnrichmentHealthCheck(ClickEnricher enricher) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = enricher.Status;
        var data = new Dictionary<string, object>
        {
            ["country_database"] = status.CountryAvailable ? "loaded" : "unavailable",
            ["user_agent_rules"] = status.AgentRulesAvailable ? "loaded" : "unavailable",
            ["user_agent_rule_count"] = status.AgentRuleCount,
        };
        if (status.CountryBuildDate is { } built)
        {
            data["country_database_built"] = built.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        }

        var problems = new[] { status.CountryProblem, status.AgentRulesProblem }.Where(p => p is not null).ToList();
        var result = problems.Count == 0
            ? HealthCheckResult.Healthy("Clicks get country (DB-IP Lite), device, browser and OS (uap-core) at ingest.", data)
            : HealthCheckResult.Degraded(
                $"Click enrichment runs without some of its data ({string.Join("; ", problems)}): that part of every click is unknown. Run scripts/refresh-classification-data.sh.",
                data: data);
        return Task.FromResult(result);
    }
}
