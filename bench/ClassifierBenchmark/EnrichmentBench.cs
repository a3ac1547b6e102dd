using System.Diagnostics;
using System.Text.RegularExpressions;
using LinkTracking.Application.Clicks.Classification;
using LinkTracking.Infrastructure.Enrichment;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ClassifierBenchmark;

/// <summary>
/// <c>--enrichment</c>: the click enricher's cost over the corpus's clicks (their own addresses and agents), the same way
/// the classifier is measured: data load time and memory, then per-click p50/p90/p99 with the recent-agents cache as
/// deployed and with it effectively off (every agent parsed anew), and the country lookup alone as the floor.
/// </summary>
public static class EnrichmentBench
{
    public static void Run()
    {
        var clicks = Corpus.Load();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var loading = Stopwatch.StartNew();
        var deployed = Enricher(new ClickEnrichmentOptions().AgentCacheSize);
        var status = deployed.Status;
        loading.Stop();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"enrichment data: {(after - before) / 1048576.0:F1} MB managed heap (country database in memory, {status.AgentRuleCount:N0} uap-core rules); loaded in {loading.ElapsedMilliseconds} ms");
        var distinctAgents = clicks.Select(c => c.UserAgent).Distinct().Count();
        Console.WriteLine($"corpus: {clicks.Length:N0} clicks, {distinctAgents:N0} distinct agents");

        var country = CountryDatabase.Open(Path.Combine(EnrichmentData.DefaultDirectory, EnrichmentData.CountryDatabaseFile));
        Measure("country lookup alone (floor)", clicks, c => country.Find(c.IpAddress!), rounds: 20);
        Measure("enrich, recent-agents cache on (as deployed)", clicks, c => deployed.Enrich(c.IpAddress, c.UserAgent), rounds: 20);
        // A two-entry cache over thousands of distinct agents: every click parses its agent with the regexes.
        var uncached = Enricher(2);
        Measure("enrich, cache off (every agent parsed anew)", clicks, c => uncached.Enrich(c.IpAddress, c.UserAgent), rounds: 2);

        // The agent parse alone, every agent anew, for each way of running uap-core's 1,175 regexes.
        var path = Path.Combine(EnrichmentData.DefaultDirectory, EnrichmentData.UserAgentRulesFile);
        var agents = clicks.Select(c => c.UserAgent).OfType<string>().Distinct().ToArray();
        foreach (var (name, options, prefilter) in new[]
        {
            ("in turn, interpreted (before)", RegexOptions.None, false),
            ("prefilter + interpreted (deployed)", RegexOptions.None, true),
            ("prefilter + Compiled", RegexOptions.Compiled, true),
            ("prefilter + NonBacktracking", RegexOptions.NonBacktracking, true),
            ("in turn, NonBacktracking", RegexOptions.NonBacktracking, false),
        })
        {
            var heap = GC.GetTotalMemory(forceFullCollection: true);
            var workingSet = Environment.WorkingSet;
            var watch = Stopwatch.StartNew();
            var rules = UserAgentRules.Load(path, options, prefilter);
            var loaded = watch.ElapsedMilliseconds;
            var slow = !prefilter;
            Measure($"parse, {name} (load {loaded} ms)", slow ? agents.Take(300).ToArray() : agents, a => rules.Parse(a), rounds: slow ? 1 : 5);
            Console.WriteLine($"    after the corpus: managed heap +{(GC.GetTotalMemory(forceFullCollection: true) - heap) / 1048576.0:F1} MB, working set +{(Environment.WorkingSet - workingSet) / 1048576.0:F1} MB");
            GC.KeepAlive(rules);
        }
    }

    private static void Measure(string name, string[] agents, Func<string, object?> parse, int rounds)
    {
        foreach (var agent in agents)
        {
            parse(agent);
        }

        var timings = new double[agents.Length * rounds];
        var k = 0;
        for (var round = 0; round < rounds; round++)
        {
            foreach (var agent in agents)
            {
                var start = Stopwatch.GetTimestamp();
                parse(agent);
                timings[k++] = (Stopwatch.GetTimestamp() - start) * 1e9 / Stopwatch.Frequency;
            }
        }

        Array.Sort(timings);
        double Percentile(double p) => timings[(int)(p * (timings.Length - 1))];
        Console.WriteLine($"{name}: per agent over {agents.Length:N0} distinct agents x {rounds}: p50 {Percentile(0.5):F0} ns, p90 {Percentile(0.9):F0} ns, p99 {Percentile(0.99):F0} ns");
    }

    private static ClickEnricher Enricher(int cacheSize) =>
        new(Options.Create(new ClickEnrichmentOptions { AgentCacheSize = cacheSize }), NullLogger<ClickEnricher>.Instance);

    private static void Measure(string name, ClickFacts[] clicks, Func<ClickFacts, object?> enrich, int rounds)
    {
        var overhead = long.MaxValue;
        for (var i = 0; i < 1000; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            overhead = Math.Min(overhead, Stopwatch.GetTimestamp() - t0);
        }

        foreach (var click in clicks)
        {
            enrich(click); // warm-up (JIT, tiering; fills the cache as traffic would)
        }

        var timings = new double[clicks.Length * rounds];
        var k = 0;
        for (var round = 0; round < rounds; round++)
        {
            foreach (var click in clicks)
            {
                var start = Stopwatch.GetTimestamp();
                enrich(click);
                timings[k++] = (Stopwatch.GetTimestamp() - start - overhead) * 1e9 / Stopwatch.Frequency;
            }
        }

        Array.Sort(timings);
        double Percentile(double p) => timings[(int)(p * (timings.Length - 1))];
        Console.WriteLine($"{name}: per click over {clicks.Length:N0} corpus clicks x {rounds}: p50 {Percentile(0.5):F0} ns, p90 {Percentile(0.9):F0} ns, p99 {Percentile(0.99):F0} ns");
    }
}
