using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace LinkTracking.Cluster.FaultTests;

/// <summary>One answer that was neither a redirect nor an acknowledged click: when, what, and which node HAProxy named.</summary>
public sealed record LoadError(TimeSpan At, string Kind, string? Node, string? Detail = null);

/// <summary>
/// Browsers following a tracked link (each request its own <c>session_id</c> cookie) and a partner posting
/// <c>record-clicks</c> batches (each click its own <c>event_id</c>), through HAProxy, on a few concurrent loops.
/// With <paramref name="branded"/> every other redirect follows a link on a branded domain instead
/// (<c>{short_path}/{code}</c> with that <c>Host</c>). Remembers every acknowledged click (302, or 201 in a batch's
/// results) and every other answer.
/// </summary>
public sealed class ClusterLoad(HttpClient balancer, string partnerKey, string trackingId, string runId, BrandedLink? branded = null)
{
    public const int BatchSize = 5;

    private readonly ConcurrentBag<string> _redirects = [];
    private readonly ConcurrentDictionary<string, TimeSpan> _redirectSentAt = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<string> _events = [];
    private readonly ConcurrentBag<LoadError> _errors = [];
    private readonly ConcurrentDictionary<string, long> _served = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TimeSpan> _lastServed = new(StringComparer.Ordinal);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _requests;
    private long _brandedRedirects;
    private int _next;

    public IReadOnlyCollection<string> AcknowledgedRedirects => _redirects;

    /// <summary>When the redirect of a session was sent (load clock).</summary>
    public TimeSpan? RedirectSentAt(string session) => _redirectSentAt.TryGetValue(session, out var at) ? at : null;

    public IReadOnlyCollection<string> AcknowledgedEvents => _events;

    public IReadOnlyCollection<LoadError> Errors => _errors;

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Acknowledged redirects of the branded link.</summary>
    public long BrandedRedirects => Interlocked.Read(ref _brandedRedirects);

    /// <summary>Successful answers per node (HAProxy's <c>X-Served-By</c>).</summary>
    public IReadOnlyDictionary<string, long> ServedPerNode => _served;

    /// <summary>When <paramref name="node"/> last gave a successful answer (load clock).</summary>
    public TimeSpan LastServed(string node) => _lastServed.GetValueOrDefault(node);

    /// <summary>Time on the load's clock (errors are stamped with it).</summary>
    public TimeSpan Now => _clock.Elapsed;

    public Task RunAsync(int redirectLoops, int partnerLoops, CancellationToken stop) =>
        Task.WhenAll(
            Enumerable.Range(0, redirectLoops).Select(_ => Task.Run(() => RedirectLoopAsync(stop), CancellationToken.None))
                .Concat(Enumerable.Range(0, partnerLoops).Select(_ => Task.Run(() => PartnerLoopAsync(stop), CancellationToken.None))));

    /// <summary>How many rows each acknowledged session and event id has in <c>link_clicks</c> (only this run's).</summary>
    public async Task<(Dictionary<string, long> Sessions, Dictionary<string, long> Events)> StoredAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return (await CountAsync(connection, "session_id"), await CountAsync(connection, "event_id"));
    }

    /// <summary>The stored rows of some session or event ids (id, time, key, event id), to say how a duplicate came about.</summary>
    public static async Task<List<string>> DescribeAsync(string connectionString, IReadOnlyList<string> keys)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT id, clicked_at, coalesce(session_id, event_id), click_source, event_id FROM link_clicks WHERE session_id = ANY(@keys) OR event_id = ANY(@keys) ORDER BY 3, 2",
            connection);
        command.Parameters.AddWithValue("keys", keys.ToArray());
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            // A redirect's event id is its request id from HAProxy: two ids mean two requests, none one a node's own.
            rows.Add($"{reader.GetString(2)} id {reader.GetGuid(0)} at {reader.GetDateTime(1):O} ({reader.GetString(3)}, event id {(reader.IsDBNull(4) ? "none" : reader.GetString(4))})");
        }

        return rows;
    }

    private async Task<Dictionary<string, long>> CountAsync(NpgsqlConnection connection, string column)
    {
        await using var command = new NpgsqlCommand($"SELECT {column}, count(*) FROM link_clicks WHERE {column} LIKE @prefix GROUP BY {column}", connection);
        command.Parameters.AddWithValue("prefix", runId + "-%");
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    private async Task RedirectLoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var n = Interlocked.Increment(ref _next);
            var session = $"{runId}-s{n}";
            var onBrand = branded is not null && n % 2 == 0;
            using var request = new HttpRequestMessage(HttpMethod.Get, onBrand ? branded!.Path : $"/track/{trackingId}");
            if (onBrand)
            {
                request.Headers.Host = branded!.Host;
            }

            request.Headers.Add("Cookie", $"session_id={session}");
            request.Headers.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64) ClusterFaultTest");
            // Not kept open after the redirect. It may still go out on a connection a partner batch left in the
            // handler's pool: should the node die after taking it, HAProxy re-sends it to another node with the same
            // request id (retry-on empty-response), stored once. Without that HAProxy would close this connection
            // unanswered and .NET's handler (as a browser) re-send the GET as a new request with a new id: stored
            // twice (BalancerRetryTests).
            request.Headers.ConnectionClose = true;
            _redirectSentAt[session] = Now;
            await SendAsync(request, response =>
            {
                if (response.StatusCode != HttpStatusCode.Found)
                {
                    return Task.FromResult(false);
                }

                _redirects.Add(session);
                if (onBrand)
                {
                    Interlocked.Increment(ref _brandedRedirects);
                }

                return Task.FromResult(true);
            });
        }
    }

    private async Task PartnerLoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var ids = Enumerable.Range(0, BatchSize).Select(_ => $"{runId}-e{Interlocked.Increment(ref _next)}").ToList();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/link-tracking/record-clicks")
            {
                Content = JsonContent.Create(new
                {
                    clicks = ids.Select(id => new Dictionary<string, string>
                    {
                        ["tracking_id"] = trackingId,
                        ["event_id"] = id,
                        ["ip_address"] = "203.0.113.9",
                        ["user_agent"] = "Mozilla/5.0 (X11; Linux x86_64) ClusterFaultTest partner",
                    }),
                }),
            };
            request.Headers.Add("X-API-Key", partnerKey);
            await SendAsync(request, async response =>
            {
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return false;
                }

                var results = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("results");
                foreach (var result in results.EnumerateArray())
                {
                    if (result.GetProperty("status").GetInt32() == 201)
                    {
                        _events.Add(ids[result.GetProperty("index").GetInt32()]);
                    }
                }

                return true;
            });
        }
    }

    /// <summary>Sends; <paramref name="acknowledge"/> says whether the answer is a success, otherwise it is an error.</summary>
    private async Task SendAsync(HttpRequestMessage request, Func<HttpResponseMessage, Task<bool>> acknowledge)
    {
        Interlocked.Increment(ref _requests);
        var at = Now;
        try
        {
            using var response = await balancer.SendAsync(request, CancellationToken.None);
            var node = response.Headers.TryGetValues("X-Served-By", out var values) ? values.FirstOrDefault() : null;
            if (await acknowledge(response))
            {
                if (node is not null)
                {
                    _served.AddOrUpdate(node, 1, (_, n) => n + 1);
                    _lastServed[node] = Now;
                }
            }
            else
            {
                _errors.Add(new LoadError(at, $"http {(int)response.StatusCode}", node, request.Method.Method));
                await Task.Delay(5, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            _errors.Add(new LoadError(at, "connection: " + e.GetType().Name, null, (e.InnerException ?? e).Message));
            await Task.Delay(5, CancellationToken.None);
        }
    }
}

/// <summary>A link on a branded domain: the <c>Host</c> to send and the path (<c>/r/{code}</c>).</summary>
public sealed record BrandedLink(string Host, string Path);
