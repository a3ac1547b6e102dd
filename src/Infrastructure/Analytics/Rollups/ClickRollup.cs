using LinkTracking.Domain.Links;

namespace LinkTracking.Infrastructure.Analytics.Rollups;

/// <summary>
/// Clicks of one link in one UTC hour with one value of one dimension (<see cref="RollupDimensions"/>), split into
/// human and bot clicks. Every click counts once per dimension, so the <c>category</c> rows of an hour sum to its
/// clicks. Unknown values (no country, no agent) are stored as the empty string. Counted by the rollup worker after the
/// clicks' commit, corrected by exact deltas where clicks are reclassified or erased (ADR 0021); a row whose counts
/// reach zero is deleted.
/// </summary>
public sealed class ClickRollup
{
    public TrackingId TrackingId { get; init; } = null!;

    /// <summary>Start of the UTC hour.</summary>
    public DateTime Hour { get; init; }

    public string Dimension { get; init; } = "";

    public string Value { get; init; } = "";

    public int HumanClicks { get; init; }

    public int BotClicks { get; init; }
}

/// <summary>
/// A link's clicks of all time, human and bot: the sum of its <c>category</c> rollups, one row per link that has any.
/// Whether a link was ever fetched, or opened by a person, is one primary-key row here, so the funnel over every
/// application joins this table instead of probing the hourly rollups once per link (ADR 0026). Kept by the rollup
/// worker and by the corrections with the other rollups; a row that a correction brings to zero is deleted.
/// </summary>
public sealed class ClickLinkTotal
{
    public TrackingId TrackingId { get; init; } = null!;

    public long HumanClicks { get; init; }

    public long BotClicks { get; init; }
}

/// <summary>
/// SQLite only: one session id (<c>kind = s</c>) or client IP (<c>kind = i</c>) seen on one link in one UTC hour, with
/// how many of its clicks there were human and bot: the exact source of SQLite's distinct counts (ADR 0021; kept per
/// scope by latest hour and per UTC day, ADR 0030). PostgreSQL estimates them with HyperLogLog sketches instead.
/// </summary>
public sealed class ClickUnique
{
    public TrackingId TrackingId { get; init; } = null!;

    public DateTime Hour { get; init; }

    public string Kind { get; init; } = "";

    public string Key { get; init; } = "";

    public int HumanClicks { get; init; }

    public int BotClicks { get; init; }
}

/// <summary>The dimensions of <see cref="ClickRollup"/> and the kinds of <see cref="ClickUnique"/>.</summary>
public static class RollupDimensions
{
    public const string Source = "source";
    public const string Category = "category";
    public const string Country = "country";
    public const string Device = "device";
    public const string Browser = "browser";
    public const string Os = "os";

    public const string SessionKind = "s";
    public const string IpKind = "i";

    /// <summary>What an unknown value is stored as.</summary>
    public const string Unknown = "";

    public const int MaxDimensionLength = 10;
    public const int MaxValueLength = 50;
    public const int MaxKeyLength = 100;
}

/// <summary>A change of one rollup row (<see cref="ClickRollup"/> or <see cref="ClickUnique"/>): name is the dimension or kind, value the value or key.</summary>
public readonly record struct RollupChange(string TrackingId, DateTime Hour, string Name, string Value, int HumanClicks, int BotClicks);

/// <summary>
/// A change of counts of one row of any table of counted clicks, as the stores write it: the owner is the link
/// (<see cref="ClickRollup"/>, <see cref="ClickUnique"/>) or the scope (<see cref="ClickScopeRollup"/>,
/// <see cref="ClickDailyRollup"/>, <see cref="ClickMonthlyRollup"/>), the time its hour, day or month.
/// </summary>
public readonly record struct CountsRow(string Owner, DateTime Time, string Name, string Value, int Human, int Bot)
{
    /// <summary>Whether the change takes clicks away, so the row may have reached zero.</summary>
    public bool Subtracts => Human < 0 || Bot < 0;

    public static CountsRow Of(RollupChange change) =>
        new(change.TrackingId, change.Hour, change.Name, change.Value, change.HumanClicks, change.BotClicks);

    public static CountsRow Of(ClickScopeRollup row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(row.Scope, row.Hour, row.Dimension, row.Value, row.HumanClicks, row.BotClicks);
    }

    public static CountsRow Of(ClickDailyRollup row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(row.Scope, row.Day, row.Dimension, row.Value, row.HumanClicks, row.BotClicks);
    }

    public static CountsRow Of(ClickMonthlyRollup row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(row.Scope, row.Month, row.Dimension, row.Value, row.HumanClicks, row.BotClicks);
    }
}

/// <summary>
/// <see cref="ClickRollup"/> summed over the links of a scope (<see cref="DistinctScopes"/>: an application, a job,
/// all links; and, for the <c>category</c> dimension only, each of those per link function), so the summaries and the
/// report read a row per hour and value instead of one per link (ADR 0020). Kept by the rollup worker from the same
/// window as the link rollups (ADR 0021); decoys are in no scope.
/// </summary>
public sealed class ClickScopeRollup
{
    public string Scope { get; init; } = "";

    /// <summary>Start of the UTC hour.</summary>
    public DateTime Hour { get; init; }

    public string Dimension { get; init; } = "";

    public string Value { get; init; } = "";

    public int HumanClicks { get; init; }

    public int BotClicks { get; init; }
}

/// <summary>
/// <see cref="ClickRollup"/> (scope <c>l:</c> and the link's id) and <see cref="ClickScopeRollup"/> summed per UTC day:
/// a period's whole days are read from here and only its partial first day from the hourly rows, so a 90-day period
/// reads ~90 rows per value instead of ~2,160 (ADR 0020). Kept by the rollup worker with the hourly rows (ADR 0021); a
/// row that a correction brings to zero is deleted.
/// </summary>
public sealed class ClickDailyRollup
{
    public string Scope { get; init; } = "";

    /// <summary>Start of the UTC day.</summary>
    public DateTime Day { get; init; }

    public string Dimension { get; init; } = "";

    public string Value { get; init; } = "";

    public int HumanClicks { get; init; }

    public int BotClicks { get; init; }
}

/// <summary>
/// A month of a daily rollup of all links (<c>*</c>) or of a job (<c>j:</c>), or of either's links of one function
/// (ADR 0029): a year's report reads twelve of these per value instead of 365 days, a job's summary (all time) a few.
/// </summary>
public sealed class ClickMonthlyRollup
{
    public string Scope { get; init; } = "";

    /// <summary>Start of the UTC month.</summary>
    public DateTime Month { get; init; }

    public string Dimension { get; init; } = "";

    public string Value { get; init; } = "";

    public int HumanClicks { get; init; }

    public int BotClicks { get; init; }
}
