using System.Diagnostics.Metrics;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Infrastructure.Telemetry;

/// <summary>
/// The service's own instruments beside the click pipeline's (<see cref="Clicks.ClickPipelineMetrics.MeterName"/>): redirects
/// by outcome, clicks by category, journal fsyncs, database writes, the link cache and rate-limit rejections.
/// docs/operations.md lists them with their Prometheus names.
/// </summary>
public sealed class ServiceMetrics
{
    public const string MeterName = "LinkTracking.Service";

    private readonly Counter<long> _redirects;
    private readonly Counter<long> _clicks;
    private readonly Histogram<double> _fsyncDuration;
    private readonly Histogram<long> _fsyncBatch;
    private readonly Histogram<double> _writeDuration;
    private readonly Histogram<long> _writeBatch;
    private readonly Counter<long> _cacheLookups;
    private readonly Counter<long> _cacheMisses;
    private readonly Counter<long> _rateLimited;
    private long _lookups;
    private long _misses;

    public ServiceMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _redirects = meter.CreateCounter<long>("linktracking.redirects", description: "Answers of /track/{id} by outcome (redirected, not_found, malformed, invalid_link_redirect).");
        _clicks = meter.CreateCounter<long>("linktracking.clicks.recorded", description: "Clicks acknowledged (durable), by category.");
        _fsyncDuration = meter.CreateHistogram<double>("linktracking.journal.fsync.duration", unit: "s", description: "One append and fsync of the local spool.");
        _fsyncBatch = meter.CreateHistogram<long>("linktracking.journal.fsync.batch_size", unit: "{click}", description: "Clicks carried by one fsync.");
        _writeDuration = meter.CreateHistogram<double>("linktracking.db.write.duration", unit: "s", description: "One batch INSERT of clicks into the database, by outcome.");
        _writeBatch = meter.CreateHistogram<long>("linktracking.db.write.batch_size", unit: "{click}", description: "Clicks carried by one database write.");
        _cacheLookups = meter.CreateCounter<long>("linktracking.link_cache.lookups", description: "Link lookups of the redirect.");
        _cacheMisses = meter.CreateCounter<long>("linktracking.link_cache.misses", description: "Link lookups that went to the database.");
        meter.CreateObservableGauge("linktracking.link_cache.hit_ratio", HitRatio, description: "Share of link lookups answered from the cache since start.");
        _rateLimited = meter.CreateCounter<long>("linktracking.rate_limit.rejections", description: "Requests answered 429, by policy.");
    }

    public void Redirect(string outcome) => _redirects.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void ClicksRecorded(IEnumerable<LinkClick> clicks)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        foreach (var group in clicks.GroupBy(c => c.BotCategory))
        {
            _clicks.Add(group.Count(), new KeyValuePair<string, object?>("category", CategoryName(group.Key)));
        }
    }

    public void ClickRecorded(LinkClick click)
    {
        ArgumentNullException.ThrowIfNull(click);
        _clicks.Add(1, new KeyValuePair<string, object?>("category", CategoryName(click.BotCategory)));
    }

    public void JournalSynced(int clicks, TimeSpan elapsed)
    {
        _fsyncDuration.Record(elapsed.TotalSeconds);
        _fsyncBatch.Record(clicks);
    }

    public void DatabaseWrite(int clicks, TimeSpan elapsed, bool succeeded)
    {
        var outcome = new KeyValuePair<string, object?>("outcome", succeeded ? "ok" : "error");
        _writeDuration.Record(elapsed.TotalSeconds, outcome);
        _writeBatch.Record(clicks, outcome);
    }

    public void LinkLookup()
    {
        Interlocked.Increment(ref _lookups);
        _cacheLookups.Add(1);
    }

    public void LinkCacheMiss()
    {
        Interlocked.Increment(ref _misses);
        _cacheMisses.Add(1);
    }

    public void RateLimited(string policy) => _rateLimited.Add(1, new KeyValuePair<string, object?>("policy", policy));

    private double HitRatio()
    {
        var lookups = Interlocked.Read(ref _lookups);
        return lookups == 0 ? 1 : 1 - ((double)Interlocked.Read(ref _misses) / lookups);
    }

    /// <summary>The snake_case name the API uses for a category (clicks_by_category).</summary>
    private static string CategoryName(BotCategory category) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(category.ToString());
}
