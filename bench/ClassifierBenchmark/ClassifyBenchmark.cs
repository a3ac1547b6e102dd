using BenchmarkDotNet.Attributes;
using LinkTracking.Application.Clicks.Classification;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;
using LinkTracking.Infrastructure.Classification;
using Microsoft.Extensions.Options;

namespace ClassifierBenchmark;

/// <summary>One classification per operation, walking through the corpus's clicks (humans and bots mixed as in the corpus).</summary>
[MemoryDiagnoser]
public class ClassifyBenchmark
{
    private ClickClassifier _classifier = null!;
    private ClickFacts[] _clicks = [];
    private int _next;

    public static ClickClassifier CreateClassifier(int agentCacheSize = AgentMatcher.DefaultCacheSize)
    {
        var options = Options.Create(new ClickClassificationOptions());
        var agents = new AgentMatcher(options, ClassificationData.DefaultDirectory, agentCacheSize);
        return new ClickClassifier(new NetworkLookup(options), agents, options);
    }

    [GlobalSetup]
    public void Setup()
    {
        _classifier = CreateClassifier();
        _clicks = Corpus.Load();
    }

    [Benchmark(OperationsPerInvoke = 1)]
    public BotCategory Classify()
    {
        var facts = _clicks[_next];
        _next = _next + 1 == _clicks.Length ? 0 : _next + 1;
        return _classifier.Classify(facts).Category;
    }
}
