using System.Net;
using LinkTracking.Domain.Clicks;
using LinkTracking.Infrastructure.Enrichment;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.UnitTests.Enrichment;

public sealed class ClickEnricherTests
{
    private const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private const string IphoneSafari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1";

    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("enrichment-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void Enrich_WithTheShippedData_GivesCountryDeviceBrowserAndOs()
    {
        var enricher = Enricher(new ListLogger());

        var enrichment = enricher.Enrich(IPAddress.Parse("8.8.8.8"), IphoneSafari);

        Assert.That(enrichment, Is.EqualTo(new ClickEnrichment("US", DeviceType.Mobile, "Mobile Safari", "iOS")));
        Assert.That(enricher.Status.Complete, Is.True);
    }

    [Test]
    public void Enrich_WithoutAddressOrAgent_IsUnknown()
    {
        var enricher = Enricher(new ListLogger());

        Assert.That(enricher.Enrich(null, null), Is.EqualTo(ClickEnrichment.Unknown));
        Assert.That(enricher.Enrich(IPAddress.Parse("10.0.0.1"), "   "), Is.EqualTo(ClickEnrichment.Unknown));
    }

    [Test]
    public void Enrich_WhenNoRuleKnowsTheAgent_StoresNoFamilies()
    {
        var enrichment = Enricher(new ListLogger()).Enrich(null, "x");

        Assert.That(enrichment, Is.EqualTo(new ClickEnrichment(null, DeviceType.Other, null, null)));
    }

    [Test]
    public void Enrich_WhenTheDataFilesAreMissing_IsUnknown_SaysSoOnceInTheLog_AndInTheStatus()
    {
        var logger = new ListLogger();
        var enricher = Enricher(logger, _directory);

        var first = enricher.Enrich(IPAddress.Parse("8.8.8.8"), Chrome);
        var second = enricher.Enrich(IPAddress.Parse("8.8.4.4"), IphoneSafari);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(ClickEnrichment.Unknown));
            Assert.That(second, Is.EqualTo(ClickEnrichment.Unknown));
            Assert.That(logger.Warnings, Has.Count.EqualTo(2), "one line for each missing file, however many clicks");
            Assert.That(logger.Warnings, Has.Some.Contains(EnrichmentData.CountryDatabaseFile));
            Assert.That(enricher.Status.CountryAvailable, Is.False);
            Assert.That(enricher.Status.CountryProblem, Does.Contain("missing"));
            Assert.That(enricher.Status.AgentRulesAvailable, Is.False);
        });
    }

    [Test]
    public void Enrich_WhenTheCountryFileIsCorrupt_KeepsTheAgentPart()
    {
        File.WriteAllBytes(Path.Combine(_directory, EnrichmentData.CountryDatabaseFile), [0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02]);
        File.Copy(Path.Combine(EnrichmentData.DefaultDirectory, EnrichmentData.UserAgentRulesFile), Path.Combine(_directory, EnrichmentData.UserAgentRulesFile));
        var logger = new ListLogger();
        var enricher = Enricher(logger, _directory);

        var enrichment = enricher.Enrich(IPAddress.Parse("8.8.8.8"), Chrome);

        Assert.Multiple(() =>
        {
            Assert.That(enrichment, Is.EqualTo(new ClickEnrichment(null, DeviceType.Desktop, "Chrome", "Windows")));
            Assert.That(enricher.Status.CountryAvailable, Is.False);
            Assert.That(enricher.Status.CountryProblem, Does.Contain(EnrichmentData.CountryDatabaseFile));
            Assert.That(enricher.Status.AgentRulesAvailable, Is.True);
            Assert.That(logger.Warnings, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void RecentAgents_HoldsAtMostItsCapacity_AndKeepsTheLatestAgents()
    {
        var cache = new RecentAgents<string>(100);

        for (var i = 0; i < 1000; i++)
        {
            cache.Add($"agent {i}", $"answer {i}");
        }

        Assert.Multiple(() =>
        {
            Assert.That(cache.Count, Is.LessThanOrEqualTo(100));
            Assert.That(cache.TryGet("agent 999", out var latest) ? latest : null, Is.EqualTo("answer 999"));
            Assert.That(cache.TryGet("agent 960", out var recent) ? recent : null, Is.EqualTo("answer 960"));
            Assert.That(cache.TryGet("agent 0", out _), Is.False);
        });
    }

    private static ClickEnricher Enricher(ILogger<ClickEnricher> logger, string? directory = null) =>
        new(Options.Create(new ClickEnrichmentOptions { DataDirectory = directory }), logger);

    private sealed class ListLogger : ILogger<ClickEnricher>
    {
        public List<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                Warnings.Add(formatter(state, exception));
            }
        }
    }
}
