using System.Globalization;
using LinkTracking.Application.Clicks.Queries.ExportClicks;
using Parquet;
using Parquet.Schema;

namespace LinkTracking.Infrastructure.Export;

/// <summary>
/// One row group of exported clicks as columns (one array per Parquet column, no object per row), filled row by row
/// and written column by column. The export keeps two of them: one being filled by the reader, one being written.
/// </summary>
internal sealed class ClickColumns(int capacity)
{
    private static readonly DataField<string> ClickId = new("click_id");
    private static readonly DataField<string> TrackingId = new("tracking_id");
    private static readonly DateTimeDataField ClickedAt = new("clicked_at", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: false);
    private static readonly DataField<string> ClickSource = new("click_source");
    private static readonly DataField<string> BotCategory = new("bot_category");
    private static readonly DataField<string> Signals = new("signals");
    private static readonly DataField<string> IpPartial = new("ip_partial");
    private static readonly DataField<string> Country = new("country");
    private static readonly DataField<string> DeviceType = new("device_type");
    private static readonly DataField<string> Browser = new("browser");
    private static readonly DataField<string> Os = new("os");
    private static readonly DataField<string> UserAgent = new("user_agent");
    private static readonly DataField<string> ReferrerUrl = new("referrer_url");
    private static readonly DataField<string> SessionId = new("session_id");
    private static readonly DataField<string> Variant = new("variant");

    /// <summary>The file schema, in the order of <see cref="ExportedClick.Columns"/>.</summary>
    public static ParquetSchema Schema { get; } = new(
        ClickId, TrackingId, ClickedAt, ClickSource, BotCategory, Signals, IpPartial, Country, DeviceType, Browser, Os, UserAgent, ReferrerUrl, SessionId, Variant);

    private readonly string[] _clickId = new string[capacity];
    private readonly string[] _trackingId = new string[capacity];
    private readonly DateTime[] _clickedAt = new DateTime[capacity];
    private readonly string[] _clickSource = new string[capacity];
    private readonly string[] _botCategory = new string[capacity];
    private readonly string?[] _signals = new string?[capacity];
    private readonly string?[] _ipPartial = new string?[capacity];
    private readonly string?[] _country = new string?[capacity];
    private readonly string?[] _deviceType = new string?[capacity];
    private readonly string?[] _browser = new string?[capacity];
    private readonly string?[] _os = new string?[capacity];
    private readonly string?[] _userAgent = new string?[capacity];
    private readonly string?[] _referrerUrl = new string?[capacity];
    private readonly string?[] _sessionId = new string?[capacity];
    private readonly string?[] _variant = new string?[capacity];

    public int Count { get; private set; }

    public bool IsFull => Count == _clickId.Length;

    /// <summary>Appends a row mapped as the CSV/NDJSON export maps it (<see cref="ExportClicksQueryHandler.ToExported"/>).</summary>
    public void Add(ExportedClick click) => Add(
        click.ClickId,
        click.TrackingId,
        click.ClickedAt,
        click.ClickSource,
        click.BotCategory,
        click.Signals.Count == 0 ? null : string.Join(',', click.Signals),
        click.IpPartial,
        click.Country,
        click.DeviceType,
        click.Browser,
        click.Os,
        click.UserAgent,
        click.ReferrerUrl,
        click.SessionId,
        click.Variant);

    /// <summary>Appends a row whose values are already the exported ones.</summary>
    public void Add(
        Guid clickId, string trackingId, DateTime clickedAt, string clickSource, string botCategory, string? signals, string? ipPartial,
        string? country, string? deviceType, string? browser, string? os, string? userAgent, string? referrerUrl, string? sessionId,
        string? variant)
    {
        var i = Count++;
        _clickId[i] = clickId.ToString("D", CultureInfo.InvariantCulture);
        _trackingId[i] = trackingId;
        _clickedAt[i] = clickedAt;
        _clickSource[i] = clickSource;
        _botCategory[i] = botCategory;
        _signals[i] = signals;
        _ipPartial[i] = ipPartial;
        _country[i] = country;
        _deviceType[i] = deviceType;
        _browser[i] = browser;
        _os[i] = os;
        _userAgent[i] = userAgent;
        _referrerUrl[i] = referrerUrl;
        _sessionId[i] = sessionId;
        _variant[i] = variant;
    }

    /// <summary>Writes the rows as one row group and empties the buffer (its strings are released for the collector).</summary>
    public async Task WriteAsync(ParquetWriter writer, CancellationToken cancellationToken)
    {
        var n = Count;
        using (var group = writer.CreateRowGroup())
        {
            await group.WriteAsync(ClickId, new ArraySegment<string>(_clickId, 0, n));
            await group.WriteAsync(TrackingId, new ArraySegment<string>(_trackingId, 0, n));
            await group.WriteAsync<DateTime>(ClickedAt, _clickedAt.AsMemory(0, n), cancellationToken: cancellationToken);
            await group.WriteAsync(ClickSource, new ArraySegment<string>(_clickSource, 0, n));
            await group.WriteAsync(BotCategory, new ArraySegment<string>(_botCategory, 0, n));
            await group.WriteAsync(Signals, new ArraySegment<string>(_signals!, 0, n));
            await group.WriteAsync(IpPartial, new ArraySegment<string>(_ipPartial!, 0, n));
            await group.WriteAsync(Country, new ArraySegment<string>(_country!, 0, n));
            await group.WriteAsync(DeviceType, new ArraySegment<string>(_deviceType!, 0, n));
            await group.WriteAsync(Browser, new ArraySegment<string>(_browser!, 0, n));
            await group.WriteAsync(Os, new ArraySegment<string>(_os!, 0, n));
            await group.WriteAsync(UserAgent, new ArraySegment<string>(_userAgent!, 0, n));
            await group.WriteAsync(ReferrerUrl, new ArraySegment<string>(_referrerUrl!, 0, n));
            await group.WriteAsync(SessionId, new ArraySegment<string>(_sessionId!, 0, n));
            await group.WriteAsync(Variant, new ArraySegment<string>(_variant!, 0, n));
        }

        Clear();
    }

    public void Clear()
    {
        foreach (var column in new Array[] { _clickId, _trackingId, _clickSource, _botCategory, _signals, _ipPartial, _country, _deviceType, _browser, _os, _userAgent, _referrerUrl, _sessionId, _variant })
        {
            Array.Clear(column, 0, Count);
        }

        Count = 0;
    }
}
