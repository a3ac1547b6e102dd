using System.IO.Compression;

namespace LinkTracking.Infrastructure.Classification;

/// <summary>
/// Where the classifier's shipped data lives (copied next to the assemblies at build) and how its files are opened:
/// a missing or unreadable file stops start-up with a message naming it, never "everyone is human".
/// </summary>
public static class ClassificationData
{
    /// <summary>The data folder in the build output: <c>Classification/Data</c> under the application's base directory.</summary>
    public static string DefaultDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "Classification", "Data");

    public const string IsbotPatternFile = "isbot-pattern.txt";
    public const string CrawlerUserAgentsFile = "crawler-user-agents.json";
    public const string AgentsFile = "agents.json";
    public const string NetworksFile = "networks.json";
    public const string AsnIpv4File = "asn-ipv4.csv.gz";
    public const string AsnIpv6File = "asn-ipv6.csv.gz";
    public const string AsnNamesFile = "asn-names.csv.gz";

    /// <summary>The full path of a data file, which must exist.</summary>
    public static string RequireFile(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"Click classification data file '{path}' is missing. It ships with the build (src/Infrastructure/Classification/Data); "
                + "restore it or run scripts/refresh-classification-data.sh.");
        }

        return path;
    }

    /// <summary>The failure for a file that exists but cannot be read as expected.</summary>
    public static InvalidOperationException Corrupt(string path, string detail, Exception? inner = null) =>
        new($"Click classification data file '{path}' is corrupt: {detail}. Run scripts/refresh-classification-data.sh to rebuild it.", inner);

    /// <summary>Reads every line of a gzip-compressed text file, wrapping decompression errors with the file's name.</summary>
    public static IEnumerable<string> ReadGzipLines(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        while (true)
        {
            string? line;
            try
            {
                line = reader.ReadLine();
            }
            catch (InvalidDataException e)
            {
                throw Corrupt(path, "not a valid gzip stream", e);
            }

            if (line is null)
            {
                yield break;
            }

            yield return line;
        }
    }
}
