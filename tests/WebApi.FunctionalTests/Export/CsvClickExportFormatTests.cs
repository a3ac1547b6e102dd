using System.Buffers;
using System.Text;
using LinkTracking.Application.Clicks.Queries.ExportClicks;
using LinkTracking.WebApi.Export;

namespace LinkTracking.WebApi.FunctionalTests.Export;

public sealed class CsvClickExportFormatTests
{
    [TestCase("plain", "plain")]
    [TestCase("a,b", "\"a,b\"")]
    [TestCase("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [TestCase("two\nlines", "\"two\nlines\"")]
    [TestCase("two\r\nlines", "\"two\r\nlines\"")]
    [TestCase("", "")]
    [TestCase(null, "")]
    public void Field_QuotesExactlyWhenRfc4180RequiresIt(string? value, string expected)
    {
        var field = CsvClickExportFormat.Field(value);

        Assert.That(field, Is.EqualTo(expected));
    }

    [TestCase("=HYPERLINK(\"http://evil\")", "\"'=HYPERLINK(\"\"http://evil\"\")\"")]
    [TestCase("+1+1", "'+1+1")]
    [TestCase("-2+3", "'-2+3")]
    [TestCase("@SUM(A1)", "'@SUM(A1)")]
    [TestCase("\tcmd", "'\tcmd")]
    [TestCase("\rcmd", "\"'\rcmd\"")]
    [TestCase("=1,2", "\"'=1,2\"")]
    [TestCase(" =1+1", "' =1+1")]
    [TestCase("  @SUM(A1)", "'  @SUM(A1)")]
    [TestCase("\n=1+1", "\"'\n=1+1\"")]
    [TestCase("\r\n=HYPERLINK(\"http://evil\")", "\"'\r\n=HYPERLINK(\"\"http://evil\"\")\"")]
    public void Field_StartingLikeAFormula_GetsALeadingQuoteMark(string value, string expected)
    {
        var field = CsvClickExportFormat.Field(value);

        Assert.That(field, Is.EqualTo(expected));
    }

    [TestCase("a=b")]
    [TestCase("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")]
    [TestCase("x-y")]
    public void Field_WithFormulaCharactersOnlyInside_IsLeftAlone(string value)
    {
        var field = CsvClickExportFormat.Field(value);

        Assert.That(field, Is.EqualTo(value));
    }

    [Test]
    public void WriteHeaderAndRow_WriteTheColumnsInOrderWithCrlf()
    {
        var format = new CsvClickExportFormat();
        var output = new ArrayBufferWriter<byte>();
        var click = new ExportedClick(
            Guid.Parse("01982f6a-0000-7000-8000-000000000001"), "lt_abcdefghijkl", new DateTime(2025, 7, 27, 14, 0, 0, DateTimeKind.Utc).AddTicks(1234560),
            "email", "scanner", ["agent_list", "datacenter_network"], "203.0.113.*", null, null, null, null,
            "Mozilla/5.0, \"quoted\"", "-1+1", "s1");

        format.WriteHeader(output);
        format.WriteRow(click, output);

        var text = Encoding.UTF8.GetString(output.WrittenSpan);
        Assert.That(text, Is.EqualTo(
            "click_id,tracking_id,clicked_at,click_source,bot_category,signals,ip_partial,country,device_type,browser,os,user_agent,referrer_url,session_id,variant\r\n" +
            "01982f6a-0000-7000-8000-000000000001,lt_abcdefghijkl,2025-07-27T14:00:00.123456Z,email,scanner,\"agent_list,datacenter_network\",203.0.113.*,,,,,\"Mozilla/5.0, \"\"quoted\"\"\",'-1+1,s1,\r\n"));
    }

    [Test]
    public void WriteRow_NonAsciiText_IsUtf8()
    {
        var format = new CsvClickExportFormat();
        var output = new ArrayBufferWriter<byte>();
        var click = new ExportedClick(Guid.Empty, "lt_abcdefghijkl", new DateTime(2025, 7, 27, 14, 0, 0, DateTimeKind.Utc), "direct", "human", [], null, null, null, null, null, "Señor Müller 日本", null, null);

        format.WriteRow(click, output);

        Assert.That(Encoding.UTF8.GetString(output.WrittenSpan), Does.Contain(",Señor Müller 日本,,,\r\n"));
    }
}
