using System.Net;
using LinkTracking.Application.Clicks.Classification;
using Microsoft.Extensions.Hosting;

namespace LinkTracking.Infrastructure.Classification;

/// <summary>
/// Builds the classifier when the host starts: its data is loaded (and a missing or corrupt file fails start-up with
/// the file's name) before the first click, which would otherwise wait seconds for the tables.
/// </summary>
public sealed class ClickClassificationStartup(IClickClassifier classifier) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        classifier.Classify(new ClickFacts("GET", IPAddress.Loopback, "Mozilla/5.0 (start-up)", null, DateTime.UtcNow, null));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
