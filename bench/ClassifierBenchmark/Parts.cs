using System.Diagnostics;
using LinkTracking.Application.Common.Options;
using LinkTracking.Infrastructure.Classification;
using Microsoft.Extensions.Options;

namespace ClassifierBenchmark;

/// <summary><c>--parts</c>: the average cost of each piece of a classification over the corpus, to see where time goes.</summary>
public static class Parts
{
    public static void Run()
    {
        var clicks = Corpus.Load();
        var lists = AgentLists.Shared(ClassificationData.DefaultDirectory);
        var agents = clicks.Select(c => c.UserAgent ?? "").ToArray();
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        foreach (var agent in agents)
        {
            lists.IsbotPrefilter?.IsMatch(agent);
        }

        Console.WriteLine($"isbot prefilter: automaton states built over the corpus agents {(GC.GetTotalMemory(forceFullCollection: true) - heap) / 1048576.0:F1} MB");
        var matcher = new AgentMatcher(Options.Create(new ClickClassificationOptions()));
        var lookup = new NetworkLookup(Options.Create(new ClickClassificationOptions()));
        Time("isbot pattern", agents, a => lists.Isbot.IsMatch(a));
        Time("crawler-user-agents", agents, a => lists.CrawlerAny.IsMatch(a));
        Time("own scanner list", agents, a => a.AsSpan().IndexOfAny(lists.OwnScanner!));
        Time("agent matcher (all lists)", agents, a => matcher.Match(a));
        Time("isbot prefilter (non-backtracking)", agents, a => lists.IsbotPrefilter?.IsMatch(a));
        var cold = new AgentMatcher(Options.Create(new ClickClassificationOptions()), ClassificationData.DefaultDirectory, cacheSize: 0);
        Time("agent matcher without cache", agents, a => cold.Match(a));
        Time("network lookup", clicks.Select(c => c.IpAddress!).ToArray(), ip => lookup.Lookup(ip));
    }

    private static void Time<T>(string name, T[] inputs, Action<T> action)
    {
        foreach (var input in inputs)
        {
            action(input);
        }

        var watch = Stopwatch.StartNew();
        for (var round = 0; round < 5; round++)
        {
            foreach (var input in inputs)
            {
                action(input);
            }
        }

        Console.WriteLine($"{name}: {watch.Elapsed.TotalNanoseconds / (5 * inputs.Length):F0} ns on average");
    }
}
