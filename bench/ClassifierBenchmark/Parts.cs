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
        Console.WriteLine($"agent lists: {lists.PatternCount:N0} patterns, {lists.PatternsWithoutLiteral} without a literal (run on every agent), prefilter automaton {lists.PrefilterStates:N0} states");
        var matcher = new AgentMatcher(Options.Create(new ClickClassificationOptions()));
        var lookup = new NetworkLookup(Options.Create(new ClickClassificationOptions()));
        Time("isbot pattern, exact (backtracking, not used per click)", agents, a => lists.Isbot.IsMatch(a));
        Time("all lists behind the literal prefilter", agents, a => lists.Find(a, ListHits.All));
        Time("in-app browser recognition", agents, a => InAppBrowsers.IsInAppBrowser(a));
        Time("agent matcher (all lists)", agents, a => matcher.Match(a));
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
