using System.Diagnostics;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ClassifierBenchmark;
using LinkTracking.Infrastructure.Classification;

if (args.Contains("--parts")) { Parts.Run(); return; }
if (args.Contains("--enrichment")) { EnrichmentBench.Run(); return; }
// 1. Memory of the data tables: managed heap before and after loading them (forced full collections).
var before = GC.GetTotalMemory(forceFullCollection: true);
var workingSetBefore = Environment.WorkingSet;
var loading = Stopwatch.StartNew();
var table = AsnTable.Shared(ClassificationData.DefaultDirectory);
NetworkLists.Shared(ClassificationData.DefaultDirectory);
AgentLists.Shared(ClassificationData.DefaultDirectory);
loading.Stop();
var after = GC.GetTotalMemory(forceFullCollection: true);
Console.WriteLine($"data tables: {(after - before) / 1048576.0:F1} MB managed heap ({table.Ipv4Ranges:N0} IPv4 + {table.Ipv6Ranges:N0} IPv6 ranges, {table.Organisations.Count:N0} organisations); "
    + $"working set +{(Environment.WorkingSet - workingSetBefore) / 1048576.0:F1} MB; loaded in {loading.ElapsedMilliseconds} ms");

// 2. Per-click latency: every corpus click timed on its own, many rounds; p50/p90/p99 over all timings. Once as
// deployed (agent verdict cache on: repeated agents are cheap), once with the cache off (every agent matched anew).
var clicks = Corpus.Load();
var overhead = long.MaxValue;
for (var i = 0; i < 1000; i++)
{
    var t0 = Stopwatch.GetTimestamp();
    overhead = Math.Min(overhead, Stopwatch.GetTimestamp() - t0);
}

Measure("agent cache on (as deployed)", ClassifyBenchmark.CreateClassifier(), rounds: 20);
Measure("agent cache off (every agent matched anew)", ClassifyBenchmark.CreateClassifier(agentCacheSize: 0), rounds: 5);

Console.WriteLine($"managed heap after classifying the corpus (lazily built automaton states, cached verdicts included): "
    + $"{(GC.GetTotalMemory(forceFullCollection: true) - before) / 1048576.0:F1} MB above the start");

// 3. BenchmarkDotNet: mean/median per classification, in process (short job on a small machine).
if (!args.Contains("--no-bdn"))
{
    var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
    BenchmarkRunner.Run<ClassifyBenchmark>(config, args.Where(a => a != "--no-bdn").ToArray());
}

void Measure(string name, LinkTracking.Infrastructure.Classification.ClickClassifier classifier, int rounds)
{
    foreach (var click in clicks)
    {
        classifier.Classify(click); // warm-up (JIT, tiering)
    }

    var timings = new double[clicks.Length * rounds];
    var k = 0;
    for (var round = 0; round < rounds; round++)
    {
        foreach (var click in clicks)
        {
            var start = Stopwatch.GetTimestamp();
            classifier.Classify(click);
            timings[k++] = (Stopwatch.GetTimestamp() - start - overhead) * 1e9 / Stopwatch.Frequency;
        }
    }

    Array.Sort(timings);
    double Percentile(double p) => timings[(int)(p * (timings.Length - 1))];
    Console.WriteLine($"{name}: per click over {clicks.Length:N0} corpus clicks x {rounds}: p50 {Percentile(0.5):F0} ns, p90 {Percentile(0.9):F0} ns, "
        + $"p99 {Percentile(0.99):F0} ns (timer overhead {overhead * 1e9 / Stopwatch.Frequency:F0} ns subtracted)");
}
