using Microsoft.Extensions.Hosting;

namespace LinkTracking.Infrastructure.Enrichment;

/// <summary>Loads the enrichment's data when the host starts (a missing file is logged then), not on the first click.</summary>
public sealed class ClickEnrichmentStartup(ClickEnricher enricher) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = enricher.Status;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
