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

    /// <summary>
    /// <c>fastest</c>, <c>optimal</c> (the default; zstd level 3) or <c>smallest</c> (zstd level 19: about a tenth
    /// smaller files for about three times the CPU of the whole export). Snappy has no levels.
    /// </summary>
    public string CompressionLevel { get; set; } = "optimal";

    /// <summary>
    /// Rows per row group (default 25 000): two are held in memory at once, and the peak RSS follows it (2 M clicks:
    /// 357 MB at 25 000, 509 MB at 50 000, 762 MB at 100 000; bench/RESULTS.md).
    /// </summary>
    public int RowGroupSize { get; set; } = 25_000;

    /// <summary>Rows per file before the next <c>part-N</c> starts (default 1 000 000).</summary>
    public int RowsPerFile { get; set; } = 1_000_000;

    /// <summary>How often the daily job looks whether yesterday (UTC) is exported yet (default one hour; also once at start-up).</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The rules, as the start-up failure states them.</summary>
    public const string Rules =
        "Export:Parquet: Directory must be an absolute path when set, Compression zstd or snappy, CompressionLevel fastest, optimal or smallest, RowGroupSize 1000-1000000, "
        + "RowsPerFile at least RowGroupSize and at most 100000000, CheckInterval 1 minute to 1 day.";

    /// <summary>Whether every value is within <see cref="Rules"/>.</summary>
    public bool IsValid() =>
        (string.IsNullOrWhiteSpace(Directory) || Path.IsPathFullyQualified(Directory))
        && CompressionMethodOrNull() is not null
        && CompressionLevelOrNull() is not null
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

    /// <summary>The level of <see cref="CompressionLevel"/>, or null when it is none of the three.</summary>
    public System.IO.Compression.CompressionLevel? CompressionLevelOrNull() => CompressionLevel?.Trim().ToUpperInvariant() switch
    {
        "FASTEST" => System.IO.Compression.CompressionLevel.Fastest,
        "OPTIMAL" => System.IO.Compression.CompressionLevel.Optimal,
        "SMALLEST" => System.IO.Compression.CompressionLevel.SmallestSize,
        _ => null,
    };

    /// <summary>
    /// The writer's settings. The codec's level is set explicitly: Parquet.Net's default is <c>SmallestSize</c>, zstd
    /// level 19, which cost 70 % of the export's CPU (bench/RESULTS.md). Dictionary encoding is tried on a sample of
    /// each column first, so a column of unique values (click ids) is not hashed in full for nothing.
    /// </summary>
    public ParquetOptions ParquetOptions() => new()
    {
        CompressionMethod = CompressionMethodOrNull() ?? CompressionMethod.Zstd,
        CompressionLevel = CompressionLevelOrNull() ?? System.IO.Compression.CompressionLevel.Optimal,
        DictionaryEncodingSampleSize = 1000,
    };
}
