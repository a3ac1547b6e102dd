using System.IO.Compression;
using System.Net;
using System.Text.Json;
using LinkTracking.Application.Clicks.Classification;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Infrastructure.UnitTests.Classification;

/// <summary>
/// The labelled corpus (Corpus/README.md: where every label comes from) through the classifier with default options:
/// every non-human category must be flagged as a bot at least 95 % of the time and all of them together at least
/// 99 %, and at most 0.5 % of people may be (in-app browsers, cloud desktops and isolation browsers included).
/// </summary>
public sealed class ClassifierCorpusTests
{
    private const double MinimumBotRecall = 0.95;
    private const double MinimumOverallBotRecall = 0.99;
    private const double MaximumHumanFalsePositives = 0.005;

    public static IReadOnlyList<CorpusClick> Load()
    {
        var path = Path.Combine(TestContext.CurrentContext.TestDirectory, "Classification", "Corpus", "corpus.ndjson.gz");
        return CorpusClick.Read(path);
    }

    [Test]
    public void Corpus_RecallPerCategoryAndHumanFalsePositives_MeetTheTargets()
    {
        var classifier = Clicks.Classifier();
        var corpus = Load();
        var results = corpus.Select(c => (Click: c, Result: classifier.Classify(c.ToFacts()))).ToList();

        var lines = new List<string>();
        var failures = new List<string>();
        foreach (var group in results.GroupBy(r => r.Click.Label).OrderBy(g => g.Key))
        {
            var total = group.Count();
            var flagged = group.Count(r => r.Result.IsBot);
            var exact = group.Count(r => r.Result.Category == group.Key);
            if (group.Key == BotCategory.Human)
            {
                var rate = (double)flagged / total;
                lines.Add($"human: {total} clicks, flagged as bots {flagged} = {rate:P2} (limit {MaximumHumanFalsePositives:P1})");
                if (rate > MaximumHumanFalsePositives)
                {
                    failures.Add($"human false positives {rate:P2}");
                }

                foreach (var miss in group.Where(r => r.Result.IsBot).Take(15))
                {
                    lines.Add($"    human flagged {miss.Result.Category}/{string.Join(",", miss.Result.Signals)} [{miss.Click.Scenario}] {miss.Click.Ip} {miss.Click.UserAgent}");
                }
            }
            else
            {
                var recall = (double)flagged / total;
                lines.Add($"{group.Key.Name()}: {total} clicks, recall (flagged as a bot) {recall:P2}, exact category {(double)exact / total:P2}");
                if (recall < MinimumBotRecall)
                {
                    failures.Add($"{group.Key.Name()} recall {recall:P2}");
                }

                foreach (var miss in group.Where(r => !r.Result.IsBot).Take(8))
                {
                    lines.Add($"    missed [{miss.Click.Scenario}] {miss.Click.Method} {miss.Click.Ip} {miss.Click.UserAgent} headers={(miss.Click.Headers is null ? "none" : string.Join("|", miss.Click.Headers.Keys))}");
                }
            }
        }

        var bots = results.Where(r => r.Click.Label != BotCategory.Human).ToList();
        var overall = (double)bots.Count(r => r.Result.IsBot) / bots.Count;
        lines.Add($"all non-human: {bots.Count} clicks, recall {overall:P2} (limit {MinimumOverallBotRecall:P0})");
        if (overall < MinimumOverallBotRecall)
        {
            failures.Add($"overall recall {overall:P2}");
        }

        foreach (var scenario in results.Where(r => r.Click.Label == BotCategory.Human).GroupBy(r => r.Click.Scenario).OrderBy(g => g.Key))
        {
            lines.Add($"    human scenario {scenario.Key}: {scenario.Count()} clicks, flagged {scenario.Count(r => r.Result.IsBot)}");
        }

        TestContext.Out.WriteLine(string.Join(Environment.NewLine, lines));

        Assert.That(corpus, Has.Count.GreaterThan(3000), "the corpus file is the full one");
        Assert.That(failures, Is.Empty, string.Join(Environment.NewLine, lines));
    }
}

/// <summary>One labelled click of the corpus (written by Corpus/generate-corpus.js).</summary>
public sealed record CorpusClick(
    BotCategory Label,
    string Scenario,
    string Method,
    string Ip,
    string? UserAgent,
    IReadOnlyDictionary<string, string>? Headers,
    DateTime? SentAt,
    DateTime ClickedAt)
{
    public ClickFacts ToFacts() => new(
        Method,
        IPAddress.Parse(Ip),
        UserAgent,
        Headers is null ? null : ClientHeaders.Read(name => Headers.GetValueOrDefault(name)),
        ClickedAt,
        SentAt);

    public static IReadOnlyList<CorpusClick> Read(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var clicks = new List<CorpusClick>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var row = JsonDocument.Parse(line);
            var root = row.RootElement;
            if (!BotCategories.TryParse(root.GetProperty("label").GetString(), out var label))
            {
                throw new InvalidDataException($"unknown label in {line}");
            }

            var headers = root.GetProperty("headers");
            clicks.Add(new CorpusClick(
                label,
                root.GetProperty("scenario").GetString()!,
                root.GetProperty("method").GetString()!,
                root.GetProperty("ip").GetString()!,
                root.GetProperty("userAgent").GetString(),
                headers.ValueKind == JsonValueKind.Null ? null : headers.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.OrdinalIgnoreCase),
                root.GetProperty("sentAt").ValueKind == JsonValueKind.Null ? null : root.GetProperty("sentAt").GetDateTime().ToUniversalTime(),
                root.GetProperty("clickedAt").GetDateTime().ToUniversalTime()));
        }

        return clicks;
    }
}
