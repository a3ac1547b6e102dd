using Parquet;

namespace LinkTracking.Infrastructure.Export;

/// <summary><c>Export:Parquet</c>: the warehouse export (<c>export parquet</c>, and the daily job when <see cref="Directory"/> is set).</summary>
public sealed class ParquetExportOptions
{
    public const string SectionName = "Export:Parquet";

    /// <summary>Where the daily job writes <c>date=YYYY-MM-DD/part-N.parquet</c>; unset (the default), no daily job runs.</summary>
    public string? Directory { get; set; }

    /// <summary><c>zstd</c> (the default) or <c>snappy</c>.</summary>
    public string Compression { get; set; } = "zstd";

    /// <summary>Rows per row group: also the most rows held in memory at once (default 100 000).</summary>
    public int RowGroupSize { get; set; } = 100_000;

    /// <summary>Rows per file before the next <c>part-N</c> starts (default 1 000 000).</summary>
    public int RowsPerFile { get; set; } = 1_000_000;

    /// <summary>How often the daily job looks whether yesterday (UTC) is exported yet (default one hour; also once at start-up).</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The rules, as the start-up failure states them.</summary>
    public const string Rules =
        "Export:Parquet: Directory must be an absolute path when set, Compression zstd or snappy, RowGroupSize 1000-1000000, "
        + "RowsPerFile at least RowGroupSize and at most 100000000, CheckInterval 1 minute to 1 day.";

    /// <summary>Whether every value is within <see cref="Rules"/>.</summary>
    public bool IsValid() =>
        (string.IsNullOrWhiteSpace(Directory) || Path.IsPathFullyQualified(Directory))
        && CompressionMethodOrNull() is not null
        && RowGroupSize is >= 1000 and <= 1_000_000
        && RowsPerFile >= RowGroupSize && RowsPerFile <= 100_000_000
        && CheckInterval >= TimeSpan.FromMinutes(1) && CheckInterval <= TimeSpan.FromDays(1);

    /// <summary>The Parquet codec of <see cref="Compression"/>, or null when it is neither.</summary>
    public CompressionMethod? CompressionMethodOrNull() => Compression?.Trim().ToUpperInvariant() switch
    {
        "ZSTD" => CompressionMethod.Zstd,
        "SNAPPY" => CompressionMethod.Snappy,
        _ => null,
    };
}
