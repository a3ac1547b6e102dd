using System.Net;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;
using Npgsql;

namespace LinkTracking.WebApi.FunctionalTests.Export;

/// <summary>
/// The export streams: 200,000 clicks (about 70 MB of CSV; as objects in memory well over 100 MB) are exported while the
/// managed heap, measured after a full collection with the response half read, grows by less than
/// <see cref="MaxHeapGrowthBytes"/>. Materialising the rows anywhere (<c>ToListAsync</c> in the reader, a buffered
/// response) fails it. PostgreSQL only: that is where exports of this size live, and the rows are generated in SQL.
/// </summary>
[NonParallelizable]
public sealed class ExportMemoryTests(TestProvider provider) : ApiFixture(provider)
{
    private const int Clicks = 200_000;
    private const long MaxHeapGrowthBytes = 20 * 1024 * 1024;

    [Test]
    public async Task Export_OfTwoHundredThousandClicks_KeepsTheHeapFlatWhileStreaming()
    {
        if (Provider != TestProvider.Postgres)
        {
            Assert.Ignore("The large export is measured on PostgreSQL.");
        }

        var trackingId = await CreateLinkIdAsync();
        await InsertClicksAsync(trackingId);
        using var warmUp = await Admin.GetAsync($"{Api}/clicks/export?tracking_id={trackingId}&to=2000-01-01T00:00:00Z");
        Assert.That(warmUp.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var before = GC.GetTotalMemory(forceFullCollection: true);

        using var response = await Admin.GetAsync($"{Api}/clicks/export?tracking_id={trackingId}", HttpCompletionOption.ResponseHeadersRead);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var lines = 0;
        while (lines < Clicks / 2 && await reader.ReadLineAsync() is not null)
        {
            lines++;
        }

        var halfway = GC.GetTotalMemory(forceFullCollection: true);
        while (await reader.ReadLineAsync() is not null)
        {
            lines++;
        }

        var growth = halfway - before;
        TestContext.Out.WriteLine($"Managed heap growth with the export half read: {growth / 1024.0 / 1024.0:F1} MB ({lines - 1} rows exported)");
        Assert.That(lines, Is.EqualTo(Clicks + 1), "the header and every row");
        Assert.That(growth, Is.LessThan(MaxHeapGrowthBytes));
    }

    /// <summary>Rows with user agents, referrers and sessions of realistic length, each string distinct.</summary>
    private async Task InsertClicksAsync(string trackingId)
    {
        await using var connection = new NpgsqlConnection(Factory.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO link_clicks (id, tracking_id, clicked_at, ip_address, user_agent, referrer_url, session_id,
                                     click_source, is_bot, bot_category, signals)
            SELECT gen_random_uuid(), @tracking_id, @start + n * interval '1 millisecond',
                   ('10.' || (n / 65536) % 256 || '.' || (n / 256) % 256 || '.' || n % 256)::inet,
                   'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.' || n || ' Safari/537.36',
                   'https://mail.google.com/mail/u/0/#inbox/' || md5(n::text),
                   'session-' || md5(n::text), 'email', false, 'human', NULL
            FROM generate_series(1, @count) AS n
            """,
            connection);
        command.Parameters.AddWithValue("tracking_id", trackingId);
        command.Parameters.AddWithValue("start", (Now - TimeSpan.FromDays(10)).UtcDateTime);
        command.Parameters.AddWithValue("count", Clicks);
        command.CommandTimeout = 300;
        Assert.That(await command.ExecuteNonQueryAsync(), Is.EqualTo(Clicks));
    }
}
