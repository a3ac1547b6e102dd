using System.Buffers;
using System.Globalization;
using System.Text.Json;
using LinkTracking.Application.Clicks.Queries.ExportClicks;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Infrastructure.Streaming;

/// <summary>
/// One message of the click stream (ADR 0024; schema in docs/streaming.md): <paramref name="Subject"/>
/// <c>linktracking.clicks.{bot_category}</c>, <paramref name="Id"/> the de-duplication id (<c>Nats-Msg-Id</c>; the
/// click id for a stored click, <c>{click_id}:r{n}</c> for its n-th reclassification), <paramref name="Key"/> the link's
/// tracking id (what a partitioned sink keys by, for order per link), <paramref name="Body"/> the JSON.
/// </summary>
public sealed record ClickStreamMessage(string Subject, string Id, string Key, ReadOnlyMemory<byte> Body);

/// <summary>The JSON of the click stream, version <see cref="SchemaVersion"/>: the export's columns and what happened.</summary>
public static class ClickStreamMessages
{
    /// <summary>Bumped only by a change a consumer must know of; fields are only ever added.</summary>
    public const int SchemaVersion = 1;

    /// <summary>The subjects' prefix; the category follows (<c>linktracking.clicks.human</c>).</summary>
    public const string SubjectPrefix = "linktracking.clicks.";

    /// <summary>A click stored (and classified, reclassifications around its window included).</summary>
    public const string Stored = "click.stored";

    /// <summary>A stored click whose category or signals changed after the fact (a rule over later clicks, a user's label).</summary>
    public const string Reclassified = "click.reclassified";

    public static string Subject(BotCategory category) => SubjectPrefix + category.Name();

    /// <summary>The message of a stored click, numbered <paramref name="seq"/>, as it is now.</summary>
    public static ClickStreamMessage ForStored(LinkClick click, long seq)
    {
        ArgumentNullException.ThrowIfNull(click);
        return new(Subject(click.BotCategory), click.Id.ToString(), click.TrackingId.Value, Body(Stored, click, seq, null, null));
    }

    /// <summary>
    /// The message of the <paramref name="outboxId"/>-th reclassification: its id differs from the click's and from every
    /// other reclassification's, so the stream's de-duplication never drops it.
    /// </summary>
    public static ClickStreamMessage ForReclassified(Guid clickId, long outboxId, string category, string trackingId, string body) =>
        new(SubjectPrefix + category, string.Create(CultureInfo.InvariantCulture, $"{clickId}:r{outboxId}"), trackingId, System.Text.Encoding.UTF8.GetBytes(body));

    /// <summary>The body of a reclassification, written when it happens (stored in the outbox until published).</summary>
    public static string ReclassifiedBody(LinkClick click, long seq, BotCategory from, DateTime at)
    {
        ArgumentNullException.ThrowIfNull(click);
        return System.Text.Encoding.UTF8.GetString(Body(Reclassified, click, seq, from, at).Span);
    }

    private static ReadOnlyMemory<byte> Body(string type, LinkClick click, long seq, BotCategory? from, DateTime? at)
    {
        // The export's mapping (address masked as analytics shows it, signals split), so every way out agrees.
        var row = ExportClicksQueryHandler.ToExported(new ClickExportRow(
            click.Id, click.TrackingId.Value, click.ClickedAt, click.ClickSource, click.BotCategory, click.Signals, click.IpAddress,
            click.UserAgent, click.ReferrerUrl, click.SessionId) { Enrichment = click.Enrichment });
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("schema_version", SchemaVersion);
            json.WriteString("type", type);
            json.WriteNumber("seq", seq);
            json.WriteString("click_id", row.ClickId);
            json.WriteString("tracking_id", row.TrackingId);
            json.WriteString("clicked_at", Timestamp(row.ClickedAt));
            json.WriteString("click_source", row.ClickSource);
            json.WriteString("bot_category", row.BotCategory);
            json.WriteStartArray("signals");
            foreach (var signal in row.Signals)
            {
                json.WriteStringValue(signal);
            }

            json.WriteEndArray();
            json.WriteString("ip_partial", row.IpPartial);
            json.WriteString("country", row.Country);
            json.WriteString("device_type", row.DeviceType);
            json.WriteString("browser", row.Browser);
            json.WriteString("os", row.Os);
            json.WriteString("user_agent", row.UserAgent);
            json.WriteString("referrer_url", row.ReferrerUrl);
            json.WriteString("session_id", row.SessionId);
            json.WriteString("previous_bot_category", from?.Name());
            json.WriteString("reclassified_at", at is { } when ? Timestamp(when) : null);
            json.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    private static string Timestamp(DateTime value) =>
        DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
