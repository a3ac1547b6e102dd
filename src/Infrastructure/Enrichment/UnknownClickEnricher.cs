using System.Net;
using LinkTracking.Application.Clicks.Enrichment;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Infrastructure.Enrichment;

/// <summary>Placeholder until the DB-IP and uap-core enrichers land: every click is "unknown".</summary>
public sealed class UnknownClickEnricher : IClickEnricher
{
    public ClickEnrichment Enrich(IPAddress? ipAddress, string? userAgent) => ClickEnrichment.Unknown;
}
