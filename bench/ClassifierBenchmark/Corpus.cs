using System.IO.Compression;
using System.Net;
using System.Text.Json;
using LinkTracking.Application.Clicks.Classification;

namespace ClassifierBenchmark;

/// <summary>The clicks of the labelled corpus (tests/Infrastructure.UnitTests/Classification/Corpus) as classifier facts.</summary>
public static class Corpus
{
    public static ClickFacts[] Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "corpus.ndjson.gz");
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var facts = new List<ClickFacts>();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            using var row = JsonDocument.Parse(line);
            var root = row.RootElement;
            var headerElement = root.GetProperty("headers");
            Dictionary<string, string>? headers = headerElement.ValueKind == JsonValueKind.Null
                ? null
                : headerElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.OrdinalIgnoreCase);
            var sent = root.GetProperty("sentAt");
            facts.Add(new ClickFacts(
                root.GetProperty("method").GetString()!,
                IPAddress.Parse(root.GetProperty("ip").GetString()!),
                root.GetProperty("userAgent").GetString(),
                headers is null ? null : ClientHeaders.Read(name => headers.GetValueOrDefault(name)),
                root.GetProperty("clickedAt").GetDateTime().ToUniversalTime(),
                sent.ValueKind == JsonValueKind.Null ? null : sent.GetDateTime().ToUniversalTime()));
        }

        return [.. facts];
    }
}
