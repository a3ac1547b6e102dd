using System.Net;
using System.Runtime.InteropServices;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Infrastructure.Analytics.Rollups;

/// <summary>What the rollups need to know of a click; <see cref="Of"/> takes it from a stored click.</summary>
public sealed record RolledUpClick(
    string TrackingId,
    DateTime ClickedAt,
    bool IsBot,
    string ClickSource,
    string BotCategory,
    string? Country,
    string? DeviceType,
    string? Browser,
    string? Os,
    string? SessionId,
    string? IpAddress)
{
    public static RolledUpClick Of(LinkClick click)
    {
        ArgumentNullException.ThrowIfNull(click);
        return new RolledUpClick(
            click.TrackingId.Value,
            click.ClickedAt,
            click.IsBot,
            click.ClickSource,
            click.BotCategory.Name(),
            click.Country,
            click.DeviceType?.Name(),
            click.Browser,
            click.Os,
            click.SessionId,
            IpKey(click.IpAddress));
    }

    /// <summary>The text an address is counted by (the same as <c>host(ip_address)</c> on PostgreSQL).</summary>
    public static string? IpKey(IPAddress? address) => address?.ToString();
}

/// <summary>
/// Corrections to the rollups, summed per row: −1 per click erased, −1/+1 per reclassified or anonymised click
/// (and +1 per click stored, which the tests use as a reference). The correcting paths apply it through
/// <see cref="IClickRollupStore.ApplyAsync"/> inside the transaction that changes the clicks, for the clicks the
/// rollup worker has already counted.
/// </summary>
public sealed class ClickRollupDelta
{
    private readonly Dictionary<RollupKey, Counts> _rollups = [];
    private readonly Dictionary<UniqueKey, Counts> _uniques = [];

    public bool IsEmpty => _rollups.Values.All(c => c.IsZero) && _uniques.Values.All(c => c.IsZero);

    public static ClickRollupDelta ForStored(IEnumerable<LinkClick> clicks)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        var delta = new ClickRollupDelta();
        foreach (var click in clicks)
        {
            delta.Add(RolledUpClick.Of(click), +1);
        }

        return delta;
    }

    /// <summary>Counts (<paramref name="sign"/> = +1) or uncounts (−1) a click.</summary>
    public void Add(RolledUpClick click, int sign)
    {
        ArgumentNullException.ThrowIfNull(click);
        var hour = HourOf(click.ClickedAt);
        var human = click.IsBot ? 0 : sign;
        var bot = click.IsBot ? sign : 0;
        AddRollup(click.TrackingId, hour, RollupDimensions.Source, click.ClickSource, human, bot);
        AddRollup(click.TrackingId, hour, RollupDimensions.Category, click.BotCategory, human, bot);
        AddRollup(click.TrackingId, hour, RollupDimensions.Country, click.Country, human, bot);
        AddRollup(click.TrackingId, hour, RollupDimensions.Device, click.DeviceType, human, bot);
        AddRollup(click.TrackingId, hour, RollupDimensions.Browser, click.Browser, human, bot);
        AddRollup(click.TrackingId, hour, RollupDimensions.Os, click.Os, human, bot);
        AddUnique(click.TrackingId, hour, RollupDimensions.SessionKind, click.SessionId, human, bot);
        AddUnique(click.TrackingId, hour, RollupDimensions.IpKind, click.IpAddress, human, bot);
    }

    /// <summary>A click whose facts changed (reclassified, address anonymised): out with the old, in with the new.</summary>
    public void Replace(RolledUpClick before, RolledUpClick after)
    {
        Add(before, -1);
        Add(after, +1);
    }

    /// <summary>A click whose address changed (anonymised): only the distinct addresses move.</summary>
    public void ChangeAddress(string trackingId, DateTime clickedAt, bool isBot, string? before, string? after)
    {
        var hour = HourOf(clickedAt);
        AddUnique(trackingId, hour, RollupDimensions.IpKind, before, isBot ? 0 : -1, isBot ? -1 : 0);
        AddUnique(trackingId, hour, RollupDimensions.IpKind, after, isBot ? 0 : 1, isBot ? 1 : 0);
    }

    /// <summary>The non-zero rollup changes, in key order (so concurrent writers lock rows in the same order).</summary>
    public IReadOnlyList<RollupChange> Rollups() =>
        Ordered(_rollups.Where(r => !r.Value.IsZero)
            .Select(r => new RollupChange(r.Key.TrackingId, r.Key.Hour, r.Key.Dimension, r.Key.Value, r.Value.Human, r.Value.Bot)));

    /// <summary>The non-zero changes of distinct sessions and addresses, in key order.</summary>
    public IReadOnlyList<RollupChange> Uniques() =>
        Ordered(_uniques.Where(r => !r.Value.IsZero)
            .Select(r => new RollupChange(r.Key.TrackingId, r.Key.Hour, r.Key.Kind, r.Key.Key, r.Value.Human, r.Value.Bot)));

    /// <summary>
    /// The link-hours whose distinct keys changed: where HyperLogLog sketches cannot take a key out, they are
    /// recomputed from the raw clicks (PostgreSQL; SQLite counts keys exactly from <see cref="Uniques"/>).
    /// </summary>
    public IReadOnlyList<(string TrackingId, DateTime Hour)> SketchMarks() =>
        _uniques.Where(r => !r.Value.IsZero).Select(r => (r.Key.TrackingId, r.Key.Hour)).Distinct().Order().ToList();

    /// <summary>The start of the UTC hour of a time.</summary>
    public static DateTime HourOf(DateTime time) =>
        new(time.Ticks - (time.Ticks % TimeSpan.TicksPerHour), DateTimeKind.Utc);

    private static List<RollupChange> Ordered(IEnumerable<RollupChange> changes)
    {
        var list = changes.ToList();
        list.Sort(static (a, b) =>
        {
            var order = string.CompareOrdinal(a.TrackingId, b.TrackingId);
            order = order != 0 ? order : a.Hour.CompareTo(b.Hour);
            order = order != 0 ? order : string.CompareOrdinal(a.Name, b.Name);
            return order != 0 ? order : string.CompareOrdinal(a.Value, b.Value);
        });
        return list;
    }

    private void AddRollup(string trackingId, DateTime hour, string dimension, string? value, int human, int bot)
    {
        ref var counts = ref CollectionsMarshal.GetValueRefOrAddDefault(_rollups, new RollupKey(trackingId, hour, dimension, value ?? RollupDimensions.Unknown), out _);
        counts += new Counts(human, bot);
    }

    private void AddUnique(string trackingId, DateTime hour, string kind, string? value, int human, int bot)
    {
        if (value is null)
        {
            return;
        }

        ref var counts = ref CollectionsMarshal.GetValueRefOrAddDefault(_uniques, new UniqueKey(trackingId, hour, kind, value), out _);
        counts += new Counts(human, bot);
    }

    private readonly record struct RollupKey(string TrackingId, DateTime Hour, string Dimension, string Value);

    private readonly record struct UniqueKey(string TrackingId, DateTime Hour, string Kind, string Key);

    private readonly record struct Counts(int Human, int Bot)
    {
        public bool IsZero => Human == 0 && Bot == 0;

        public static Counts operator +(Counts a, Counts b) => new(a.Human + b.Human, a.Bot + b.Bot);
    }
}
