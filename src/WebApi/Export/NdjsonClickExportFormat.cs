using System.Buffers;
using System.Text.Json;
using LinkTracking.Application.Clicks.Queries.ExportClicks;

namespace LinkTracking.WebApi.Export;

/// <summary>
/// Newline-delimited JSON: one object per click and line, snake_case keys in column order, <c>signals</c> an array of
/// strings, missing values <c>null</c>. Values are exactly as stored (no formula guard: JSON is not a spreadsheet).
/// </summary>
public sealed class NdjsonClickExportFormat : IClickExportFormat
{
    private static readonly JsonEncodedText ClickId = JsonEncodedText.Encode("click_id");
    private static readonly JsonEncodedText TrackingId = JsonEncodedText.Encode("tracking_id");
    private static readonly JsonEncodedText ClickedAt = JsonEncodedText.Encode("clicked_at");
    private static readonly JsonEncodedText ClickSource = JsonEncodedText.Encode("click_source");
    private static readonly JsonEncodedText BotCategory = JsonEncodedText.Encode("bot_category");
    private static readonly JsonEncodedText Signals = JsonEncodedText.Encode("signals");
    private static readonly JsonEncodedText IpPartial = JsonEncodedText.Encode("ip_partial");
    private static readonly JsonEncodedText Country = JsonEncodedText.Encode("country");
    private static readonly JsonEncodedText DeviceType = JsonEncodedText.Encode("device_type");
    private static readonly JsonEncodedText Browser = JsonEncodedText.Encode("browser");
    private static readonly JsonEncodedText Os = JsonEncodedText.Encode("os");
    private static readonly JsonEncodedText UserAgent = JsonEncodedText.Encode("user_agent");
    private static readonly JsonEncodedText ReferrerUrl = JsonEncodedText.Encode("referrer_url");
    private static readonly JsonEncodedText SessionId = JsonEncodedText.Encode("session_id");
    private static readonly JsonEncodedText Variant = JsonEncodedText.Encode("variant");

    public string ContentType => "application/x-ndjson";

    public string FileExtension => "ndjson";

    public void WriteHeader(IBufferWriter<byte> output)
    {
    }

    public void WriteRow(ExportedClick click, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(click);
        ArgumentNullException.ThrowIfNull(output);
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString(ClickId, click.ClickId);
        json.WriteString(TrackingId, click.TrackingId);
        json.WriteString(ClickedAt, ClickExportFormats.Timestamp(click.ClickedAt));
        json.WriteString(ClickSource, click.ClickSource);
        json.WriteString(BotCategory, click.BotCategory);
        json.WriteStartArray(Signals);
        foreach (var signal in click.Signals)
        {
            json.WriteStringValue(signal);
        }

        json.WriteEndArray();
        json.WriteString(IpPartial, click.IpPartial);
        json.WriteString(Country, click.Country);
        json.WriteString(DeviceType, click.DeviceType);
        json.WriteString(Browser, click.Browser);
        json.WriteString(Os, click.Os);
        json.WriteString(UserAgent, click.UserAgent);
        json.WriteString(ReferrerUrl, click.ReferrerUrl);
        json.WriteString(SessionId, click.SessionId);
        json.WriteString(Variant, click.Variant);
        json.WriteEndObject();
        json.Flush();
        output.Write("\n"u8);
    }
}
