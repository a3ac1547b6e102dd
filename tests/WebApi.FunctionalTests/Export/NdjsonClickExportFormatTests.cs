using System.Buffers;
using System.Text;
using System.Text.Json;
using LinkTracking.Application.Clicks.Queries.ExportClicks;
using LinkTracking.WebApi.Export;

namespace LinkTracking.WebApi.FunctionalTests.Export;

public sealed class NdjsonClickExportFormatTests
{
    [Test]
    public void WriteRow_WritesOneObjectPerLineWithSnakeCaseKeysInColumnOrder()
    {
        var format = new NdjsonClickExportFormat();
        var output = new ArrayBufferWriter<byte>();
        var first = new ExportedClick(Guid.NewGuid(), "lt_abcdefghijkl", new DateTime(2025, 7, 27, 14, 0, 0, DateTimeKind.Utc), "direct", "crawler", ["agent_list"], "203.0.113.*", null, null, null, null, "line\nbreak \"quoted\"", null, "=1+1");
        var second = first with { ClickId = Guid.NewGuid(), Signals = [], BotCategory = "human", IpPartial = null };

        format.WriteHeader(output);
        format.WriteRow(first, output);
        format.WriteRow(second, output);

        var lines = Encoding.UTF8.GetString(output.WrittenSpan).Split('\n');
        Assert.That(lines, Has.Length.EqualTo(3));
        Assert.That(lines[2], Is.Empty, "every object ends with a newline");
        using var document = JsonDocument.Parse(lines[0]);
        var row = document.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(row.EnumerateObject().Select(p => p.Name), Is.EqualTo(ExportedClick.Columns));
            Assert.That(row.GetProperty("click_id").GetGuid(), Is.EqualTo(first.ClickId));
            Assert.That(row.GetProperty("clicked_at").GetString(), Is.EqualTo("2025-07-27T14:00:00Z"));
            Assert.That(row.GetProperty("signals").EnumerateArray().Select(s => s.GetString()), Is.EqualTo(new[] { "agent_list" }));
            Assert.That(row.GetProperty("country").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(row.GetProperty("os").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(row.GetProperty("user_agent").GetString(), Is.EqualTo("line\nbreak \"quoted\""));
            Assert.That(row.GetProperty("session_id").GetString(), Is.EqualTo("=1+1"), "no formula guard in JSON");
            Assert.That(row.GetProperty("referrer_url").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
        using var secondDocument = JsonDocument.Parse(lines[1]);
        Assert.That(secondDocument.RootElement.GetProperty("signals").GetArrayLength(), Is.Zero);
        Assert.That(secondDocument.RootElement.GetProperty("ip_partial").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }
}
