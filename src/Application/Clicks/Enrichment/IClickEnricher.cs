using System.Net;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Application.Clicks.Enrichment;

/// <summary>
/// Works out a click's country (from its address) and device, browser and OS (from its user agent) at ingest, for
/// the redirect and partner clicks alike. Never throws: anything it cannot tell is null.
/// </summary>
public interface IClickEnricher
{
    ClickEnrichment Enrich(IPAddress? ipAddress, string? userAgent);
}
