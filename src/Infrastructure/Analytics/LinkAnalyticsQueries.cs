using LinkTracking.Application.Analytics.Common;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.Analytics.Rollups;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Infrastructure.Analytics;

/// <summary>
/// Analytics over the hourly rollups of a link (<see cref="ClickRollup"/>; ADR 0011) or of a scope
/// (<see cref="ClickScopeRollup"/>), their daily sums (<see cref="ClickDailyRollup"/>) and, for all links and jobs,
/// monthly sums (<see cref="ClickMonthlyRollup"/>, ADR 0029), as LINQ both providers translate, and distinct sessions
/// and addresses from <see cref="IDistinctKeys"/> (ADR 0021). A period is a range of hours within one link or scope:
/// its values are read a row per month and value for its whole UTC months (where the scope keeps them), a row per day
/// and value for its other whole UTC days and a row per hour and value before them, its hourly series a row per
/// hour and category, instead of one per click. Raw clicks are read only where an hour is too coarse, and each read
/// is bounded to one hour of one scope on the <c>(tracking_id, clicked_at)</c> index. That happens for:
/// <list type="bullet">
/// <item>the partial first hour of the rolling <c>clicks_24h</c>/<c>clicks_7d</c> windows;</item>
/// <item>the exact time of the first and last click.</item>
/// </list>
/// Each read is bounded by <c>Database:QueryTimeout</c> (<see cref="BoundedReads"/>). One instance answers one request
/// (it is scoped), and it keeps the values and hours it has read for the rest of that request.
/// </summary>
public sealed class LinkAnalyticsQueries(LinkTrackingDbContext db, BoundedReads reads, IDistinctKeys distinctKeys) : ILinkAnalyticsQueries
{
    /// <summary>Every dimension: listed in each read of the rollups, whose keys lead with the scope and the dimension.</summary>
    private static readonly string[] Dimensions =
    [
        RollupDimensions.Source, RollupDimensions.Category, RollupDimensions.Country, RollupDimensions.Device, RollupDimensions.Browser, RollupDimensions.Os,
    ];

    private readonly Dictionary<(string Scope, DateTime? From), List<DimensionValue>> _values = [];
    private readonly Dictionary<(string Scope, DateTime? From), List<(DateTime Hour, int Human, int Bot)>> _hours = [];
    private readonly Dictionary<(DateTime? From, bool IncludeBots), LinkCensus> _census = [];

    public Task<LinkClickTotals> GetLinkTotalsAsync(string trackingId, DateTime from, DateTime now, bool includeBots, CancellationToken cancellationToken) =>
        reads.RunAsync(ct => LinkTotalsAsync(TrackingId.Parse(trackingId), from, now, includeBots, ct), cancellationToken);

    public Task<IReadOnlyList<DailyClicks>> GetDailyClicksAsync(LinkScope scope, DateTime from, bool includeBots, TimeZoneInfo zone, CancellationToken cancellationToken) =>
        reads.RunAsync(ct => DailyClicksAsync(scope, from, includeBots, zone, ct), cancellationToken);

    public Task<ClickBreakdowns> GetBreakdownsAsync(LinkScope scope, DateTime? from, bool includeBots, TimeZoneInfo zone, CancellationToken cancellationToken) =>
        reads.RunAsync(ct => BreakdownsAsync(scope, from, includeBots, zone, ct), cancellationToken);

    public Task<IReadOnlyList<RecentClick>> GetRecentClicksAsync(string trackingId, int count, bool includeBots, CancellationToken cancellationToken) =>
        reads.RunAsync(ct => RecentClicksAsync(trackingId, count, includeBots, ct), cancellationToken);

    public Task<IReadOnlyList<FunctionClicks>> GetFunctionClicksAsync(LinkScope scope, DateTime? from, bool includeBots, bool withLastClick, CancellationToken cancellationToken) =>
        reads.RunAsync(ct => FunctionClicksAsync(scope, from, includeBots, withLastClick, ct), cancellationToken);

    public Task<IReadOnlyDictionary<string, int>> GetClicksByCategoryAsync(LinkScope scope, DateTime? from, CancellationToken cancellationToken) =>
        reads.RunAsync(ct => ClicksByCategoryAsync(scope, from, ct), cancellationToken);

    public Task<ScopeTotals> GetScopeTotalsAsync(LinkScope scope, DateTime? from, bool includeBots, CancellationToken cancellationToken) =>
        reads.RunAsync(ct => ScopeTotalsAsync(scope, from, includeBots, ct), cancellationToken);

    private async Task<LinkClickTotals> LinkTotalsAsync(TrackingId id, DateTime from, DateTime now, bool includeBots, CancellationToken cancellationToken)
    {
        var scope = LinkScope.ForLink(id.Value);
        var values = await ValuesAsync(scope, from, cancellationToken);
        var categories = values.Where(v => v.Dimension == RollupDimensions.Category).ToList();
        var total = categories.Sum(v => Counted(v, includeBots));
        var bots = categories.Sum(v => v.Bot);
        var bySource = values
            .Where(v => v.Dimension == RollupDimensions.Source && Counted(v, includeBots) > 0)
            .OrderByDescending(v => Counted(v, includeBots)).ThenBy(v => v.Value, StringComparer.Ordinal)
            .ToDictionary(v => v.Value, v => Counted(v, includeBots), StringComparer.Ordinal);

        var sessions = await distinctKeys.CountAsync(scope, null, from, RollupDimensions.SessionKind, includeBots, cancellationToken);
        var ips = await distinctKeys.CountAsync(scope, null, from, RollupDimensions.IpKind, includeBots, cancellationToken);
        var hourly = await HourlyAsync(scope, from, includeBots, cancellationToken);
        var clicks24H = await ClicksSinceAsync(id, now.AddHours(-24), from, hourly, includeBots, cancellationToken);
        var clicks7D = await ClicksSinceAsync(id, now.AddDays(-7), from, hourly, includeBots, cancellationToken);
        var (first, last) = hourly.Count == 0 ? (null, null) : await FirstAndLastAsync(id, from, hourly[0].Hour, hourly[^1].Hour, includeBots, cancellationToken);
        return new LinkClickTotals(total, sessions, ips, bots, clicks24H, clicks7D, first, last, bySource);
    }

    /// <summary>
    /// Clicks since an instant: whole hours from the rollups (from the period's hours when it starts no later), the
    /// partial first hour from the raw clicks.
    /// </summary>
    private async Task<int> ClicksSinceAsync(
        TrackingId id, DateTime since, DateTime from, List<(DateTime Hour, int Clicks)> periodHours, bool includeBots, CancellationToken cancellationToken)
    {
        var firstWholeHour = FirstWholeHour(since);
        int whole;
        if (from <= firstWholeHour)
        {
            whole = periodHours.Where(h => h.Hour >= firstWholeHour).Sum(h => h.Clicks);
        }
        else
        {
            var rollups = db.ClickRollups.AsNoTracking()
                .Where(r => r.TrackingId == id && r.Dimension == RollupDimensions.Category && r.Hour >= firstWholeHour);
            whole = includeBots
                ? await rollups.SumAsync(r => r.HumanClicks + r.BotClicks, cancellationToken)
                : await rollups.SumAsync(r => r.HumanClicks, cancellationToken);
        }

        var partial = await Counted(db.Clicks.AsNoTracking()
                .Where(c => c.TrackingId == id && c.ClickedAt >= since && c.ClickedAt < firstWholeHour), includeBots)
            .CountAsync(cancellationToken);
        return whole + partial;
    }

    /// <summary>
    /// The first and last counted click: the hours from the rollups, the instants from those hours' raw clicks, each
    /// the first row of the <c>(tracking_id, clicked_at)</c> index in order. Written as <c>ORDER BY … LIMIT 1</c>, not
    /// <c>min</c>/<c>max</c>: on a partition filled faster than its statistics follow (a month's first minutes under
    /// load), PostgreSQL planned the aggregate over the whole hour's clicks, 45–58 ms for a hot link.
    /// </summary>
    private async Task<(DateTime? First, DateTime? Last)> FirstAndLastAsync(
        TrackingId id, DateTime from, DateTime fh, DateTime lh, bool includeBots, CancellationToken cancellationToken)
    {
        var start = fh < from ? from : fh;
        var first = await Counted(db.Clicks.AsNoTracking().Where(c => c.TrackingId == id && c.ClickedAt >= start && c.ClickedAt < fh.AddHours(1)), includeBots)
            .OrderBy(c => c.ClickedAt)
            .Select(c => (DateTime?)c.ClickedAt)
            .FirstOrDefaultAsync(cancellationToken);
        var last = await Counted(db.Clicks.AsNoTracking().Where(c => c.TrackingId == id && c.ClickedAt >= lh && c.ClickedAt < lh.AddHours(1)), includeBots)
            .OrderByDescending(c => c.ClickedAt)
            .Select(c => (DateTime?)c.ClickedAt)
            .FirstOrDefaultAsync(cancellationToken);
        return (AsUtc(first), AsUtc(last));
    }

    private async Task<IReadOnlyList<DailyClicks>> DailyClicksAsync(LinkScope scope, DateTime from, bool includeBots, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var hourly = await HourlyAsync(scope, from, includeBots, cancellationToken);
        var clicksByDay = hourly
            .GroupBy(h => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(h.Hour, zone)))
            .ToDictionary(g => g.Key, g => g.Sum(h => h.Clicks));
        if (clicksByDay.Count == 0)
        {
            return [];
        }

        var sessionsByDay = await SessionsPerDayAsync(scope, clicksByDay.Keys.Min(), clicksByDay.Keys.Max(), from, includeBots, zone, cancellationToken);
        return clicksByDay
            .OrderBy(d => d.Key)
            .Select(d => new DailyClicks(d.Key, d.Value, sessionsByDay.GetValueOrDefault(d.Key)))
            .ToList();
    }

    /// <summary>Distinct sessions per local day (<see cref="IDistinctKeys"/>): each day's whole hours, the first clipped to the period.</summary>
    private Task<Dictionary<DateOnly, int>> SessionsPerDayAsync(
        LinkScope scope, DateOnly firstDay, DateOnly lastDay, DateTime from, bool includeBots, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var days = new List<(DateOnly Day, DateTime First, DateTime Next)>();
        for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
        {
            days.Add((day,
                FirstWholeHour(Later(AnalyticsTimeZones.StartOfDay(day, zone), from)),
                FirstWholeHour(AnalyticsTimeZones.StartOfDay(day.AddDays(1), zone))));
        }

        return distinctKeys.SessionsPerDayAsync(scope, days, includeBots, cancellationToken);
    }

    private static DateTime Later(DateTime a, DateTime b) => a > b ? a : b;

    /// <summary>The first hour that starts at or after a time.</summary>
    private static DateTime FirstWholeHour(DateTime time) =>
        ClickRollupDelta.HourOf(time) == time ? time : ClickRollupDelta.HourOf(time).AddHours(1);

    private async Task<ClickBreakdowns> BreakdownsAsync(LinkScope scope, DateTime? from, bool includeBots, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var values = await ValuesAsync(scope, from, cancellationToken);
        var hourly = await HourlyAsync(scope, from, includeBots, cancellationToken);
        var hours = new int[24];
        var weekdays = new int[7];
        var hourWeekday = Enumerable.Range(0, 7).Select(_ => new int[24]).ToArray();
        foreach (var (hour, clicks) in hourly)
        {
            var local = TimeZoneInfo.ConvertTimeFromUtc(hour, zone);
            var weekday = ((int)local.DayOfWeek + 6) % 7;
            hours[local.Hour] += clicks;
            weekdays[weekday] += clicks;
            hourWeekday[weekday][local.Hour] += clicks;
        }

        return new ClickBreakdowns(
            Of(RollupDimensions.Country),
            Of(RollupDimensions.Device),
            Of(RollupDimensions.Browser),
            Of(RollupDimensions.Os),
            hours,
            weekdays,
            hourWeekday);

        List<ValueCount> Of(string dimension) => values
            .Where(v => v.Dimension == dimension && Counted(v, includeBots) > 0)
            .Select(v => new ValueCount(v.Value == RollupDimensions.Unknown ? null : v.Value, Counted(v, includeBots)))
            .ToList();
    }

    private async Task<IReadOnlyList<RecentClick>> RecentClicksAsync(string trackingId, int count, bool includeBots, CancellationToken cancellationToken)
    {
        var id = TrackingId.Parse(trackingId);
        var rows = await Counted(db.Clicks.AsNoTracking().Where(c => c.TrackingId == id), includeBots)
            .OrderByDescending(c => c.ClickedAt)
            .ThenByDescending(c => c.Id)
            .Take(count)
            .Select(c => new { c.Id, c.ClickedAt, c.ClickSource, c.IpAddress, c.BotCategory, c.Signals })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new RecentClick(r.Id, AsUtc(r.ClickedAt), r.ClickSource, r.IpAddress, r.BotCategory, r.Signals)).ToList();
    }

    private async Task<IReadOnlyDictionary<string, int>> ClicksByCategoryAsync(LinkScope scope, DateTime? from, CancellationToken cancellationToken)
    {
        var counts = (await ValuesAsync(scope, from, cancellationToken))
            .Where(v => v.Dimension == RollupDimensions.Category)
            .ToDictionary(v => v.Value, v => v.Human + v.Bot, StringComparer.Ordinal);
        return BotCategories.All.ToDictionary(c => c.Name(), c => counts.GetValueOrDefault(c.Name()), StringComparer.Ordinal);
    }

    private async Task<IReadOnlyList<FunctionClicks>> FunctionClicksAsync(LinkScope scope, DateTime? from, bool includeBots, bool withLastClick, CancellationToken cancellationToken)
    {
        var links = await CensusAsync(scope, from, includeBots, cancellationToken) is { } census
            ? census.Functions.Where(f => f.Value.Links > 0).Select(f => (Function: f.Key, f.Value.Links)).ToList()
            : (await LinksIn(scope)
                    .GroupBy(l => l.LinkFunction)
                    .Select(g => new { Function = g.Key, Links = g.Count() })
                    .ToListAsync(cancellationToken))
                .Select(g => (g.Function, g.Links))
                .ToList();

        var scopes = links.ToDictionary(l => DistinctScopes.OfFunction(scope, l.Function), l => l.Function, StringComparer.Ordinal);
        var names = scopes.Keys.ToList();
        // A scope's functions keep months as the scope does (their names start with the scope's).
        var (days, months, firstDay) = DaysOf(
            db.ClickDailyRollups.AsNoTracking().Where(r => names.Contains(r.Scope) && r.Dimension == RollupDimensions.Category),
            db.ClickMonthlyRollups.AsNoTracking().Where(r => names.Contains(r.Scope) && r.Dimension == RollupDimensions.Category),
            DistinctScopes.Of(scope),
            from);
        var clicks = await days
            .GroupBy(r => r.Scope)
            .Select(g => new ScopeClicks(g.Key, g.Sum(r => r.HumanClicks), g.Sum(r => r.BotClicks)))
            .ToListAsync(cancellationToken);
        if (months is not null)
        {
            clicks.AddRange(await months
                .GroupBy(r => r.Scope)
                .Select(g => new ScopeClicks(g.Key, g.Sum(r => r.HumanClicks), g.Sum(r => r.BotClicks)))
                .ToListAsync(cancellationToken));
        }

        var hours = CategoryHoursByFunction(scope);
        var clicksByFunction = clicks
            .GroupBy(c => scopes[c.Scope], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(c => includeBots ? c.Human + c.Bot : c.Human), StringComparer.Ordinal);
        if (from is { } start && start < firstDay)
        {
            var firstHours = await hours
                .Where(r => r.Hour >= start && r.Hour < firstDay)
                .GroupBy(r => r.Function)
                .Select(g => new { Function = g.Key, Human = g.Sum(r => r.HumanClicks), Bot = g.Sum(r => r.BotClicks) })
                .ToListAsync(cancellationToken);
            foreach (var h in firstHours)
            {
                clicksByFunction[h.Function] = clicksByFunction.GetValueOrDefault(h.Function) + (includeBots ? h.Human + h.Bot : h.Human);
            }
        }

        var lastHours = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        if (withLastClick && db.Database.IsNpgsql() && (scope.JobId is not null || scope.ApplicationId is not null))
        {
            lastHours = await LastHoursOfLinksAsync(scope, from, includeBots, cancellationToken);
        }
        else if (withLastClick)
        {
            // The hour of each function's last counted click; its instant is read from that hour's raw clicks below.
            var counted = from is { } since ? hours.Where(r => r.Hour >= since) : hours;
            lastHours = (await (includeBots ? counted : counted.Where(r => r.HumanClicks > 0))
                    .GroupBy(r => r.Function)
                    .Select(g => new { Function = g.Key, LastHour = g.Max(r => r.Hour) })
                    .ToListAsync(cancellationToken))
                .ToDictionary(r => r.Function, r => r.LastHour, StringComparer.Ordinal);
        }

        var sessions = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var function in scopes.Values)
        {
            sessions[function] = await distinctKeys.CountAsync(scope, function, from, RollupDimensions.SessionKind, includeBots, cancellationToken);
        }

        var result = new List<FunctionClicks>(links.Count);
        foreach (var l in links)
        {
            var count = clicksByFunction.GetValueOrDefault(l.Function);
            if (count == 0)
            {
                result.Add(new FunctionClicks(l.Function, l.Links, 0, 0, null));
                continue;
            }

            if (!withLastClick || !lastHours.TryGetValue(l.Function, out var lastHour))
            {
                result.Add(new FunctionClicks(l.Function, l.Links, count, sessions.GetValueOrDefault(l.Function), null));
                continue;
            }

            var function = l.Function;
            var last = await (
                    from click in Counted(db.Clicks.AsNoTracking().Where(x => x.ClickedAt >= lastHour && x.ClickedAt < lastHour.AddHours(1)), includeBots)
                    join link in LinksIn(scope) on click.TrackingId equals link.TrackingId
                    where link.LinkFunction == function
                    select (DateTime?)click.ClickedAt)
                .MaxAsync(cancellationToken);
            result.Add(new FunctionClicks(l.Function, l.Links, count, sessions.GetValueOrDefault(l.Function), AsUtc(last)));
        }

        return result;
    }

    /// <summary>
    /// PostgreSQL, a job or an application: the hour of each function's last counted click in the period, the latest of
    /// its links' <c>link_click_totals.last_hour</c> / <c>last_human_hour</c> (kept by the rollup worker and the
    /// corrections, ADR 0028) instead of a maximum over all their hourly rows (~17 ms for a job with a hot link at 10 M
    /// clicks). A link's last hour before the period's start means no click of it in the period.
    /// </summary>
    private async Task<Dictionary<string, DateTime>> LastHoursOfLinksAsync(LinkScope scope, DateTime? from, bool includeBots, CancellationToken cancellationToken)
    {
        var links = scope.JobId is { } jobId
            ? db.Database.SqlQuery<FunctionLastHour>($"""
                SELECT l.link_function AS function, t.last_hour, t.last_human_hour
                FROM link_tracking l JOIN link_click_totals t ON t.tracking_id = l.tracking_id
                WHERE l.job_id = {jobId}
                """)
            : db.Database.SqlQuery<FunctionLastHour>($"""
                SELECT l.link_function AS function, t.last_hour, t.last_human_hour
                FROM link_tracking l JOIN link_click_totals t ON t.tracking_id = l.tracking_id
                WHERE l.application_id = {scope.ApplicationId!.Value}
                """);
        var rows = await links
            .Where(l => l.Function != LinkFunction.Decoy)
            .GroupBy(l => l.Function)
            .Select(g => new FunctionLastHour { Function = g.Key, LastHour = includeBots ? g.Max(l => l.LastHour) : g.Max(l => l.LastHumanHour) })
            .ToListAsync(cancellationToken);
        return rows
            .Where(r => r.LastHour is { } hour && (from is not { } since || hour >= since))
            .ToDictionary(r => r.Function, r => AsUtc(r.LastHour!.Value), StringComparer.Ordinal);
    }

    private async Task<ScopeTotals> ScopeTotalsAsync(LinkScope scope, DateTime? from, bool includeBots, CancellationToken cancellationToken)
    {
        var totalClicks = (await ValuesAsync(scope, from, cancellationToken))
            .Where(v => v.Dimension == RollupDimensions.Category)
            .Sum(v => Counted(v, includeBots));
        var sessions = await distinctKeys.CountAsync(scope, null, from, RollupDimensions.SessionKind, includeBots, cancellationToken);
        if (await CensusAsync(scope, from, includeBots, cancellationToken) is { } census)
        {
            return new ScopeTotals(
                census.Functions.Values.Sum(f => f.Links),
                census.Functions.Values.Sum(f => f.Active),
                census.Jobs,
                census.Applications,
                totalClicks,
                sessions,
                census.LinksClicked);
        }

        var links = LinksIn(scope);
        // The links and the active ones in one pass; jobs and applications each by a hashed DISTINCT (count(DISTINCT …)
        // sorts: over 100,000 links the four counts in one statement took 98 ms, these three 40 ms).
        var counts = await links
            .GroupBy(_ => 1)
            .Select(g => new { Links = g.Count(), Active = g.Count(l => l.IsActive) })
            .SingleOrDefaultAsync(cancellationToken);
        var (totalLinks, activeLinks) = counts is null ? (0, 0) : (counts.Links, counts.Active);
        var jobs = await links.Where(l => l.JobId != null).Select(l => l.JobId).Distinct().CountAsync(cancellationToken);
        var applications = await links.Where(l => l.ApplicationId != null).Select(l => l.ApplicationId).Distinct().CountAsync(cancellationToken);

        // A link was ever clicked if its totals count (human) clicks; in a period (which ends now), if it also has a
        // counted category row since its start: an index probe, only for the links ever clicked.
        var totals = includeBots ? db.ClickLinkTotals.AsNoTracking() : db.ClickLinkTotals.AsNoTracking().Where(t => t.HumanClicks > 0);
        var clicked = links.Where(l => totals.Any(t => t.TrackingId == l.TrackingId));
        if (from is { } since)
        {
            var categories = db.ClickRollups.AsNoTracking().Where(r => r.Dimension == RollupDimensions.Category && r.Hour >= since);
            if (!includeBots)
            {
                categories = categories.Where(r => r.HumanClicks > 0);
            }

            clicked = clicked.Where(l => categories.Any(r => r.TrackingId == l.TrackingId));
        }

        var linksClicked = await clicked.CountAsync(cancellationToken);
        return new ScopeTotals(totalLinks, activeLinks, jobs, applications, totalClicks, sessions, linksClicked);
    }

    /// <summary>
    /// PostgreSQL, all links: the link statistics kept by <see cref="PostgresLinkCensus"/> (ADR 0028), read once per
    /// period by this instance. Null elsewhere: a job's or an application's links are few and counted directly, and
    /// SQLite keeps no census.
    /// </summary>
    private async Task<LinkCensus?> CensusAsync(LinkScope scope, DateTime? from, bool includeBots, CancellationToken cancellationToken)
    {
        if (scope.TrackingId is not null || scope.JobId is not null || scope.ApplicationId is not null || !db.Database.IsNpgsql())
        {
            return null;
        }

        if (!_census.TryGetValue((from, includeBots), out var census))
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                census = await PostgresLinkCensus.ReadAsync(db.Database.GetDbConnection(), from, includeBots, cancellationToken);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }

            _census[(from, includeBots)] = census;
        }

        return census;
    }

    /// <summary>
    /// Human and bot clicks per dimension and value in the period: its whole UTC days from the daily rollups
    /// (<see cref="ClickDailyRollup"/>), the hours before its first whole day from the hourly ones. Read once per scope
    /// and period by this instance (one per request), though a request's answer asks for them several times.
    /// </summary>
    private async Task<List<DimensionValue>> ValuesAsync(LinkScope scope, DateTime? from, CancellationToken cancellationToken)
    {
        var name = DistinctScopes.Of(scope);
        if (!_values.TryGetValue((name, from), out var values))
        {
            var (days, months, firstDay) = DaysOf(
                db.ClickDailyRollups.AsNoTracking().Where(r => r.Scope == name && Dimensions.Contains(r.Dimension)),
                db.ClickMonthlyRollups.AsNoTracking().Where(r => r.Scope == name && Dimensions.Contains(r.Dimension)),
                name,
                from);
            values = await days
                .GroupBy(r => new { r.Dimension, r.Value })
                .Select(g => new DimensionValue(g.Key.Dimension, g.Key.Value, g.Sum(r => r.HumanClicks), g.Sum(r => r.BotClicks)))
                .ToListAsync(cancellationToken);
            if (months is not null)
            {
                values = Merge(values, await months
                    .GroupBy(r => new { r.Dimension, r.Value })
                    .Select(g => new DimensionValue(g.Key.Dimension, g.Key.Value, g.Sum(r => r.HumanClicks), g.Sum(r => r.BotClicks)))
                    .ToListAsync(cancellationToken));
            }

            if (from is { } start && start < firstDay)
            {
                var hours = await RollupsIn(scope)
                    .Where(r => Dimensions.Contains(r.Dimension) && r.Hour >= start && r.Hour < firstDay)
                    .GroupBy(r => new { r.Dimension, r.Value })
                    .Select(g => new DimensionValue(g.Key.Dimension, g.Key.Value, g.Sum(r => r.HumanClicks), g.Sum(r => r.BotClicks)))
                    .ToListAsync(cancellationToken);
                values = Merge(values, hours);
            }

            _values[(name, from)] = values;
        }

        return values;
    }

    private static List<DimensionValue> Merge(List<DimensionValue> values, List<DimensionValue> more) =>
        values.Concat(more)
            .GroupBy(v => (v.Dimension, v.Value))
            .Select(g => new DimensionValue(g.Key.Dimension, g.Key.Value, g.Sum(v => v.Human), g.Sum(v => v.Bot)))
            .ToList();

    /// <summary>
    /// A period's whole UTC days (all of them when it has no start) as rows of a scope: for a scope that keeps months
    /// (all links and jobs, per function too, <see cref="MonthlyRollups.KeepsMonths"/>, ADR 0029) its whole months from the
    /// monthly rows and only the days before its first whole month from the daily ones, otherwise every day from the
    /// daily rows (months null); and the first of those days: the hours from the period's start up to it are the
    /// hourly rollups' part. The period ends now, so its last month is whole as far as it goes.
    /// </summary>
    private static (IQueryable<ClickDailyRollup> Days, IQueryable<ClickMonthlyRollup>? Months, DateTime FirstDay) DaysOf(
        IQueryable<ClickDailyRollup> days, IQueryable<ClickMonthlyRollup> months, string scope, DateTime? from)
    {
        var firstDay = from is { } start ? (DailyRollups.DayOf(start) == start ? start : DailyRollups.DayOf(start).AddDays(1)) : DateTime.MinValue;
        if (from is not null)
        {
            days = days.Where(r => r.Day >= firstDay);
        }

        if (!MonthlyRollups.KeepsMonths(scope))
        {
            return (days, null, firstDay);
        }

        var firstMonth = from is null ? DateTime.MinValue : MonthlyRollups.FirstWholeMonth(firstDay);
        return (days.Where(r => r.Day < firstMonth), from is null ? months : months.Where(r => r.Month >= firstMonth), firstDay);
    }

    /// <summary>Counted clicks per UTC hour in the period, oldest first (hours without any left out); read once, as <see cref="ValuesAsync"/>.</summary>
    private async Task<List<(DateTime Hour, int Clicks)>> HourlyAsync(LinkScope scope, DateTime? from, bool includeBots, CancellationToken cancellationToken)
    {
        if (!_hours.TryGetValue((DistinctScopes.Of(scope), from), out var rows))
        {
            rows = (await Since(CategoryRollupsIn(scope), from)
                    .GroupBy(r => r.Hour)
                    .Select(g => new { Hour = g.Key, Human = g.Sum(r => r.HumanClicks), Bot = g.Sum(r => r.BotClicks) })
                    .ToListAsync(cancellationToken))
                .Select(r => (r.Hour, r.Human, r.Bot))
                .OrderBy(r => r.Hour)
                .ToList();
            _hours[(DistinctScopes.Of(scope), from)] = rows;
        }

        return rows
            .Select(r => (Hour: AsUtc(r.Hour), Clicks: includeBots ? r.Human + r.Bot : r.Human))
            .Where(r => r.Clicks > 0)
            .ToList();
    }

    private static int Counted(DimensionValue value, bool includeBots) => includeBots ? value.Human + value.Bot : value.Human;

    private static IQueryable<LinkClick> Counted(IQueryable<LinkClick> clicks, bool includeBots) =>
        includeBots ? clicks : clicks.Where(c => !c.IsBot);

    private static IQueryable<RollupRow> Since(IQueryable<RollupRow> rows, DateTime? from) =>
        from is { } start ? rows.Where(r => r.Hour >= start) : rows;

    private IQueryable<TrackedLink> LinksIn(LinkScope scope) => ScopedLinks.In(db.Links.AsNoTracking(), scope);

    /// <summary>
    /// The hourly rollups of a scope, every dimension: a link's own; all links' (<see cref="ClickScopeRollup"/>); a job's
    /// or an application's, which keep none of their own (ADR 0026; a job keeps its categories, read by
    /// <see cref="CategoryRollupsIn"/>), as their links' rows, summed by the reader.
    /// </summary>
    private IQueryable<RollupRow> RollupsIn(LinkScope scope)
    {
        if (scope.TrackingId is { } trackingId)
        {
            var id = TrackingId.Parse(trackingId);
            return db.ClickRollups.AsNoTracking()
                .Where(r => r.TrackingId == id)
                .Select(r => new RollupRow { Hour = r.Hour, Dimension = r.Dimension, Value = r.Value, HumanClicks = r.HumanClicks, BotClicks = r.BotClicks });
        }

        if (scope.JobId is null && scope.ApplicationId is null)
        {
            return db.ClickScopeRollups.AsNoTracking()
                .Where(r => r.Scope == DistinctScopes.All)
                .Select(r => new RollupRow { Hour = r.Hour, Dimension = r.Dimension, Value = r.Value, HumanClicks = r.HumanClicks, BotClicks = r.BotClicks });
        }

        return from r in db.ClickRollups.AsNoTracking()
               join l in LinksIn(scope) on r.TrackingId equals l.TrackingId
               select new RollupRow { Hour = r.Hour, Dimension = r.Dimension, Value = r.Value, HumanClicks = r.HumanClicks, BotClicks = r.BotClicks };
    }

    /// <summary>
    /// The hourly category rollups of a scope: a job's own (<see cref="RollupScopes.KeepsHours"/>, ADR 0029), any other
    /// scope's as <see cref="RollupsIn"/>.
    /// </summary>
    private IQueryable<RollupRow> CategoryRollupsIn(LinkScope scope)
    {
        if (scope.JobId is not null && scope.TrackingId is null && scope.ApplicationId is null)
        {
            var name = DistinctScopes.Of(scope);
            return db.ClickScopeRollups.AsNoTracking()
                .Where(r => r.Scope == name && r.Dimension == RollupDimensions.Category)
                .Select(r => new RollupRow { Hour = r.Hour, Dimension = r.Dimension, Value = r.Value, HumanClicks = r.HumanClicks, BotClicks = r.BotClicks });
        }

        return RollupsIn(scope).Where(r => r.Dimension == RollupDimensions.Category);
    }

    /// <summary>The hourly category rollups of a scope's links per link function: all links' per-function rows, or a job's or an application's links' own.</summary>
    private IQueryable<FunctionHour> CategoryHoursByFunction(LinkScope scope)
    {
        if (scope.TrackingId is null && scope.JobId is null && scope.ApplicationId is null)
        {
            var prefix = DistinctScopes.All + "/";
            return db.ClickScopeRollups.AsNoTracking()
                .Where(r => r.Scope.StartsWith(prefix) && r.Dimension == RollupDimensions.Category)
                .Select(r => new FunctionHour { Function = r.Scope.Substring(prefix.Length), Hour = r.Hour, HumanClicks = r.HumanClicks, BotClicks = r.BotClicks });
        }

        return from r in db.ClickRollups.AsNoTracking()
               join l in LinksIn(scope) on r.TrackingId equals l.TrackingId
               where r.Dimension == RollupDimensions.Category
               select new FunctionHour { Function = l.LinkFunction, Hour = r.Hour, HumanClicks = r.HumanClicks, BotClicks = r.BotClicks };
    }

    private static DateTime? AsUtc(DateTime? value) => value is { } v ? AsUtc(v) : null;

    private static DateTime AsUtc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private sealed record DimensionValue(string Dimension, string Value, int Human, int Bot);

    private sealed record ScopeClicks(string Scope, int Human, int Bot);

    /// <summary>A link's (or, grouped, a link function's) last counted hour, of any click and of a human one (null when it has none).</summary>
    private sealed class FunctionLastHour
    {
        public string Function { get; init; } = "";

        public DateTime? LastHour { get; init; }

        public DateTime? LastHumanHour { get; init; }
    }

    /// <summary>An hourly category row of one link function.</summary>
    private sealed class FunctionHour
    {
        public string Function { get; init; } = "";

        public DateTime Hour { get; init; }

        public int HumanClicks { get; init; }

        public int BotClicks { get; init; }
    }

    /// <summary>A row of <see cref="ClickRollup"/> or <see cref="ClickScopeRollup"/>.</summary>
    private sealed class RollupRow
    {
        public DateTime Hour { get; init; }

        public string Dimension { get; init; } = "";

        public string Value { get; init; } = "";

        public int HumanClicks { get; init; }

        public int BotClicks { get; init; }
    }
}
