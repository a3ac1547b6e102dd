using nietras.SeparatedValues;

namespace LinkTracking.WebApi.FunctionalTests.Export;

/// <summary>
/// Reads the CSV export with Sep — a reader that is not ours — as RFC 4180 records: quotes undone, a CRLF or comma
/// inside a quoted field kept, every record the same number of fields (Sep refuses a ragged one).
/// </summary>
public static class Csv
{
    /// <summary>Every record, the header first.</summary>
    public static List<string[]> Parse(string text)
    {
        Assert.That(text, Does.EndWith("\r\n"), "the last record ends with CRLF");
        using var reader = Sep.New(',').Reader(o => o with { HasHeader = false, Unescape = true }).FromText(text);
        var records = new List<string[]>();
        foreach (var row in reader)
        {
            records.Add(row[0..row.ColCount].ToStringsArray());
        }

        return records;
    }

    /// <summary>The data records as column → value, by the header's names.</summary>
    public static List<Dictionary<string, string>> Rows(string text)
    {
        var records = Parse(text);
        return [.. records.Skip(1).Select(r => records[0].Zip(r).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal))];
    }
}
