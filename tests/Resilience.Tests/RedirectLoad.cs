using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace LinkTracking.Resilience.Tests;

/// <summary>
/// Browsers following a tracked link: each request carries its own <c>session_id</c> cookie, so the stored
/// rows can be matched to the redirects that were acknowledged with a 302.
/// </summary>
public sealed class RedirectLoad(HttpClient client, string trackingId, string runId)
{
    private readonly ConcurrentBag<string> _acknowledged = [];
    private long _failed;
    private int _next;

    public IReadOnlyCollection<string> Acknowledged => _acknowledged;

    public long Failed => Interlocked.Read(ref _failed);

    public int AcknowledgedCount => _acknowledged.Count;

    /// <summary>Runs <paramref name="workers"/> loops of redirects until <paramref name="stop"/> is cancelled.</summary>
    public Task RunAsync(int workers, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(() => WorkerAsync(stop), CancellationToken.None)));

    public static async Task<string> CreateLinkAsync(HttpClient admin)
    {
        using var response = await admin.PostAsJsonAsync("/api/v1/link-tracking/create", new Dictionary<string, string>
        {
            ["original_url"] = "https://example.com/job",
            ["link_function"] = "Job_Posting",
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("tracking_id").GetString()!;
    }

    /// <summary>How many rows each session of this run has in <c>link_clicks</c>.</summary>
    public async Task<Dictionary<string, long>> StoredCountsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT session_id, count(*) FROM link_clicks WHERE session_id LIKE @prefix GROUP BY session_id", connection);
        command.Parameters.AddWithValue("prefix", runId + "-%");
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>Every acknowledged click is stored, and no click is stored twice.</summary>
    public async Task AssertEveryAcknowledgedClickStoredExactlyOnceAsync(string connectionString)
    {
        var stored = await StoredCountsAsync(connectionString);
        var missing = _acknowledged.Where(s => !stored.ContainsKey(s)).ToList();
        var duplicated = stored.Where(s => s.Value > 1).Select(s => s.Key).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(missing, Is.Empty, $"{missing.Count} of {_acknowledged.Count} acknowledged clicks were lost");
            Assert.That(duplicated, Is.Empty, $"{duplicated.Count} clicks were stored more than once");
        });
    }

    private async Task WorkerAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var session = $"{runId}-{Interlocked.Increment(ref _next)}";
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/track/{trackingId}");
            request.Headers.Add("Cookie", $"session_id={session}");
            request.Headers.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64) ResilienceTest");
            try
            {
                using var response = await client.SendAsync(request, CancellationToken.None);
                if (response.StatusCode == HttpStatusCode.Found)
                {
                    _acknowledged.Add(session);
                }
                else
                {
                    Interlocked.Increment(ref _failed);
                }
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref _failed);
                await Task.Delay(5, CancellationToken.None);
            }
        }
    }
}
