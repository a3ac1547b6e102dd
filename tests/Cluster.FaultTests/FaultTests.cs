using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LinkTracking.Resilience.Tests;

namespace LinkTracking.Cluster.FaultTests;

/// <summary>
/// Three real nodes behind HAProxy (scripts/cluster.sh) under redirect and partner-click load while, in turn, a node
/// is killed with SIGKILL and restarted, Redis stops for 20 s, PostgreSQL stops for 30 s, and a node is drained with
/// SIGTERM. Every acknowledged click is stored exactly once, a redirect in flight on the killed node included; link deactivations and key revocations reach every node
/// within a second once Redis is back; rate limits are shared while Redis is up and per node while it is down; no
/// 5xx reaches a client but on the connections the killed node held.
/// </summary>
[NonParallelizable]
public sealed class FaultTests
{
    private const int AnalyticsLimit = 20;
    private static readonly TimeSpan KilledNodeWindow = TimeSpan.FromSeconds(5);

    /// <summary>Errors are stamped with the time their request was sent; one sent this long before the kill may have been on node 2.</summary>
    private static readonly TimeSpan InFlight = TimeSpan.FromSeconds(2);

    private readonly StringBuilder _figures = new();

    [Test]
    public async Task ThreeNodes_UnderKillRedisPostgresAndDrainFaults_LoseNoAcknowledgedClick_AndServeNo5xx()
    {
        await using var cluster = await Cluster.StartAsync(new Dictionary<string, string>
        {
            ["CLUSTER_ANALYTICS_LIMIT"] = AnalyticsLimit.ToString(CultureInfo.InvariantCulture),
            ["CLUSTER_DRAIN_DELAY"] = "00:00:03",
        });
        using var admin = Cluster.Client(cluster.Balancer, cluster.AdminKey);
        var nodes = Enumerable.Range(1, Cluster.Nodes).Select(n => Cluster.Client(cluster.Node(n), null)).ToArray();
        var loadLink = await RedirectLoad.CreateLinkAsync(admin);
        var probeLink = await RedirectLoad.CreateLinkAsync(admin);
        var (_, partnerKey) = await CreateKeyAsync(admin, "clicks:write");
        var brandedLink = await CreateBrandedLinkAsync(admin, cluster.BrandHost);

        Figure($"cluster up: HAProxy {cluster.Balancer}, nodes {string.Join(", ", Enumerable.Range(1, Cluster.Nodes).Select(cluster.Node))}");
        var sharedAccepted = await RateLimitProbeAsync(admin, nodes);
        Figure($"rate limit {AnalyticsLimit}/min per key, Redis up: {sharedAccepted} of {3 * AnalyticsLimit + 3} requests spread over 3 nodes accepted");

        using var balancer = Cluster.Client(cluster.Balancer, null);
        var load = new ClusterLoad(balancer, partnerKey, loadLink, "fault" + Guid.NewGuid().ToString("N")[..8], brandedLink);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(redirectLoops: 4, partnerLoops: 2, stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(3));

        // 1. kill -9 node 2, then start it again.
        var killedAt = load.Now;
        await cluster.KillNodeAsync(2);
        var killWindowEnd = load.Now + KilledNodeWindow;
        await Task.Delay(TimeSpan.FromSeconds(2));
        await cluster.StartNodeAsync(2);
        var rejoined = await Cluster.WaitForAsync(async () => await Cluster.StatusAsync(nodes[1], "/health/ready") == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "node 2 ready again");
        Figure($"kill -9 node 2: back and ready {(load.Now - killedAt).TotalSeconds:F1} s after the kill (restart included)");

        Figure($"timeline (load clock): kill at {killedAt.TotalSeconds:F1} s, kill command done at {(killWindowEnd - KilledNodeWindow).TotalSeconds:F1} s");

        // 2. Redis stops for 20 s; meanwhile each node limits on its own.
        var (_, perNodeKey) = await CreateKeyAsync(admin, "analytics:read");
        var redisStoppedAt = load.Now;
        await cluster.StopRedisAsync();
        await Cluster.WaitForAsync(async () => (await CacheStatusesAsync(nodes)).All(s => s != "healthy"), TimeSpan.FromSeconds(15), "every node sees Redis gone");
        var perNodeAccepted = await RateLimitProbeAsync(nodes, perNodeKey);
        Figure($"rate limit, Redis down: {perNodeAccepted} of {3 * AnalyticsLimit + 3} requests spread over 3 nodes accepted");
        await Task.Delay(TimeSpan.FromSeconds(20) - (load.Now - redisStoppedAt));
        await cluster.StartRedisAsync();
        var redisBack = await Cluster.WaitForAsync(async () => (await CacheStatusesAsync(nodes)).All(s => s == "healthy"), TimeSpan.FromSeconds(60), "every node reconnected to Redis");
        Figure($"Redis stopped 20 s: every node reconnected {redisBack.TotalSeconds:F1} s after it started again");
        var (deactivation, revocation) = await PropagationProbeAsync(admin, nodes, probeLink);
        Figure($"after Redis is back: deactivation seen by all nodes in {deactivation.TotalMilliseconds:F0} ms, key revocation in {revocation.TotalMilliseconds:F0} ms");

        // 3. PostgreSQL stops for 30 s.
        var postgresStoppedAt = load.Now;
        var beforeOutage = load.AcknowledgedRedirects.Count + load.AcknowledgedEvents.Count;
        await cluster.StopPostgresAsync();
        await Task.Delay(TimeSpan.FromSeconds(30));
        var duringOutage = load.AcknowledgedRedirects.Count + load.AcknowledgedEvents.Count - beforeOutage;
        await cluster.StartPostgresAsync();
        var postgresBack = await Cluster.WaitForAsync(async () => (await Task.WhenAll(nodes.Select(n => Cluster.StatusAsync(n, "/health/ready")))).All(s => s == HttpStatusCode.OK), TimeSpan.FromSeconds(60), "every node ready after PostgreSQL is back");
        Figure($"PostgreSQL stopped 30 s: {duringOutage} clicks acknowledged meanwhile; every node ready {postgresBack.TotalSeconds:F1} s after it started again");

        // 4. Drain node 3 gracefully (SIGTERM).
        var drainAt = load.Now;
        await cluster.TerminateNodeAsync(3);
        var turned = await Cluster.WaitForAsync(async () => await Cluster.StatusAsync(nodes[2], "/health/ready") != HttpStatusCode.OK, TimeSpan.FromSeconds(5), "node 3 readiness turns 503");
        var liveWhileDraining = await Cluster.StatusAsync(nodes[2], "/health/live");
        var exited = await Cluster.WaitForAsync(async () => await Cluster.StatusAsync(nodes[2], "/health/live") == 0, TimeSpan.FromSeconds(40), "node 3 exits after its drain");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Figure($"SIGTERM node 3: readiness 503 after {turned.TotalMilliseconds:F0} ms (live still {(int)liveWhileDraining}), exited after {exited.TotalSeconds:F1} s; last request served by node 3 at +{(load.LastServed("node3") - drainAt).TotalSeconds:F1} s");

        await stop.CancelAsync();
        await running;

        // Node 3 moved its spool on the way out; start it again so that nothing could be left behind unnoticed.
        await cluster.StartNodeAsync(3);
        var drained = await Cluster.WaitForAsync(async () => (await Task.WhenAll(nodes.Select(Cluster.ClickQueueAsync))).All(SpoolEmpty), TimeSpan.FromSeconds(60), "every node's spool copied into the database");

        var (sessions, events) = await load.StoredAsync(cluster.ConnectionString);
        var lostRedirects = load.AcknowledgedRedirects.Count(s => !sessions.ContainsKey(s));
        var lostEvents = load.AcknowledgedEvents.Count(e => !events.ContainsKey(e));
        // A redirect in flight on node 2 when it was killed was journalled there and may be sent again to another
        // node: HAProxy's request id (Network:RequestIdHeader) makes it the same click, stored once. No duplicate of
        // either kind is tolerated; how many of them were sent around the kill is reported.
        var inFlightAtKill = load.AcknowledgedRedirects.Count(s => load.RedirectSentAt(s) is { } sent && sent >= killedAt - InFlight && sent <= killWindowEnd);
        var duplicated = sessions.Count(s => s.Value > 1) + events.Count(e => e.Value > 1);
        var killedNodeErrors = load.Errors.Where(e => IsKilledNodeError(e, killedAt, killWindowEnd)).ToList();
        var unexpected = load.Errors.Except(killedNodeErrors).ToList();

        Figure($"load: {load.Requests} requests; acknowledged {load.AcknowledgedRedirects.Count} redirects + {load.AcknowledgedEvents.Count} partner clicks; stored {sessions.Count} + {events.Count}; lost {lostRedirects} + {lostEvents}; duplicated {duplicated} ({inFlightAtKill} redirects acknowledged were sent within the kill window); spools empty {drained.TotalSeconds:F1} s after the load stopped");
        Figure($"errors on the killed node's connections: {Describe(killedNodeErrors)}; other errors: {Describe(unexpected)}");
        Figure($"timeline (load clock): Redis stopped at {redisStoppedAt.TotalSeconds:F1} s, PostgreSQL at {postgresStoppedAt.TotalSeconds:F1} s, SIGTERM at {drainAt.TotalSeconds:F1} s; "
            + $"other errors at: {string.Join(", ", unexpected.OrderBy(e => e.At).Take(20).Select(e => $"{e.At.TotalSeconds:F1} s {e.Kind} {e.Detail}"))}");
        Figure($"branded short link {brandedLink.Host}{brandedLink.Path}: {load.BrandedRedirects} of the acknowledged redirects");
        Figure($"served per node: {string.Join(", ", load.ServedPerNode.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"))}");
        var twice = sessions.Where(s => s.Value > 1).Select(s => s.Key).Concat(events.Where(e => e.Value > 1).Select(e => e.Key)).Take(10).ToList();
        if (twice.Count > 0)
        {
            Figure($"stored twice: {string.Join("; ", await ClusterLoad.DescribeAsync(cluster.ConnectionString, twice))}");
        }
        await TestContext.Progress.WriteLineAsync(_figures.ToString());

        Assert.Multiple(() =>
        {
            Assert.That(sharedAccepted, Is.EqualTo(AnalyticsLimit), "with Redis up the three nodes share one window per key");
            Assert.That(perNodeAccepted, Is.EqualTo(3 * AnalyticsLimit), "with Redis down each node keeps its own window");
            Assert.That(deactivation, Is.LessThan(TimeSpan.FromSeconds(1)), "a deactivation reaches every node within a second");
            Assert.That(revocation, Is.LessThan(TimeSpan.FromSeconds(1)), "a revocation reaches every node within a second");
            Assert.That(duringOutage, Is.GreaterThan(100), "clicks are still acknowledged while PostgreSQL is down");
            Assert.That(liveWhileDraining, Is.EqualTo(HttpStatusCode.OK), "a draining node still answers");
            Assert.That(load.AcknowledgedRedirects.Count, Is.GreaterThan(1000));
            Assert.That(load.BrandedRedirects, Is.GreaterThan(400), "the branded short link is served through HAProxy (Host passed through)");
            Assert.That(load.AcknowledgedEvents.Count, Is.GreaterThan(500));
            Assert.That(lostRedirects + lostEvents, Is.Zero, "every acknowledged click is stored");
            Assert.That(duplicated, Is.Zero, "no click is stored twice");
            Assert.That(unexpected, Is.Empty, "no error reaches a client but on the killed node's connections");
        });
    }

    /// <summary>
    /// A request sent shortly before the kill (it was in flight on node 2) up to a few seconds after it (HAProxy takes
    /// about a second to mark the node down): a 5xx HAProxy made for a request node 2 held, or a response cut off
    /// mid-way (HAProxy names no node then).
    /// </summary>
    private static bool IsKilledNodeError(LoadError error, TimeSpan killedAt, TimeSpan windowEnd) =>
        error.At >= killedAt - InFlight && error.At <= windowEnd
        && ((error.Node == "node2" && error.Kind.StartsWith("http 5", StringComparison.Ordinal)) || (error.Node is null && error.Kind.StartsWith("connection", StringComparison.Ordinal)));

    private static bool SpoolEmpty(JsonElement? queue) =>
        queue is { } q && q.GetProperty("spool_bytes").GetInt64() == 0 && q.GetProperty("queue_depth").GetInt32() == 0 && q.GetProperty("database_available").GetBoolean();

    private static string Describe(IEnumerable<LoadError> errors)
    {
        var groups = errors.GroupBy(e => $"{e.Kind} via {e.Node ?? "-"}").Select(g => $"{g.Key}: {g.Count()}").ToList();
        return groups.Count == 0 ? "none" : string.Join(", ", groups);
    }

    private void Figure(string line)
    {
        _figures.AppendLine("cluster fault test: " + line);
        TestContext.Progress.WriteLine("cluster fault test: " + line);
    }

    private static async Task<(Guid Id, string Secret)> CreateKeyAsync(HttpClient admin, string scope)
    {
        using var response = await admin.PostAsJsonAsync("/api/v1/link-tracking/api-keys", new { name = "cluster-" + scope, scopes = new[] { scope } });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (body.GetProperty("id").GetGuid(), body.GetProperty("key").GetString()!);
    }

    /// <summary>A fresh analytics key, then 3 × limit + 3 analytics requests sent round-robin to the nodes directly: how many were accepted.</summary>
    private static async Task<int> RateLimitProbeAsync(HttpClient admin, HttpClient[] nodes)
    {
        var (_, key) = await CreateKeyAsync(admin, "analytics:read");
        return await RateLimitProbeAsync(nodes, key);
    }

    private static async Task<int> RateLimitProbeAsync(HttpClient[] nodes, string key)
    {
        var accepted = 0;
        for (var i = 0; i < 3 * AnalyticsLimit + 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/link-tracking/links?page_size=1");
            request.Headers.Add("X-API-Key", key);
            using var response = await nodes[i % nodes.Length].SendAsync(request);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                accepted++;
            }
            else
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), await response.Content.ReadAsStringAsync());
            }
        }

        return accepted;
    }

    /// <summary>
    /// Every node has the probe link and a fresh key cached; one node deactivates the link and revokes the key:
    /// how long until every node answers 404 for the link, and 401 for the key.
    /// </summary>
    private static async Task<(TimeSpan Deactivation, TimeSpan Revocation)> PropagationProbeAsync(HttpClient admin, HttpClient[] nodes, string probeLink)
    {
        var (keyId, key) = await CreateKeyAsync(admin, "analytics:read");
        foreach (var node in nodes)
        {
            Assert.That(await Cluster.StatusAsync(node, $"/track/{probeLink}?src=warm"), Is.EqualTo(HttpStatusCode.Found));
            Assert.That(await KeyStatusAsync(node, key, probeLink), Is.EqualTo(HttpStatusCode.OK));
        }

        using var first = new HttpClient { BaseAddress = nodes[0].BaseAddress };
        first.DefaultRequestHeaders.Add("X-API-Key", admin.DefaultRequestHeaders.GetValues("X-API-Key").First());
        // Timed from the acknowledgement: the change is committed and published then.
        using (var response = await first.PostAsync(new Uri($"/api/v1/link-tracking/links/{probeLink}/deactivate", UriKind.Relative), null))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        }

        var clock = Stopwatch.StartNew();

        await Cluster.WaitForAsync(
            async () => (await Task.WhenAll(nodes.Select(n => Cluster.StatusAsync(n, $"/track/{probeLink}")))).All(s => s == HttpStatusCode.NotFound),
            TimeSpan.FromSeconds(30), "every node refuses the deactivated link");
        var deactivation = clock.Elapsed;

        using (var response = await first.DeleteAsync(new Uri($"/api/v1/link-tracking/api-keys/{keyId}", UriKind.Relative)))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await response.Content.ReadAsStringAsync());
        }

        clock.Restart();

        await Cluster.WaitForAsync(
            async () => (await Task.WhenAll(nodes.Select(n => KeyStatusAsync(n, key, probeLink)))).All(s => s == HttpStatusCode.Unauthorized),
            TimeSpan.FromSeconds(30), "every node refuses the revoked key");
        return (deactivation, clock.Elapsed);
    }

    /// <summary>A link on the nodes' branded domain; its path (<c>/r/{code}</c>) from its redirect_url.</summary>
    private static async Task<BrandedLink> CreateBrandedLinkAsync(HttpClient admin, string host)
    {
        using var response = await admin.PostAsJsonAsync("/api/v1/link-tracking/create", new Dictionary<string, string>
        {
            ["original_url"] = "https://example.com/branded-job",
            ["link_function"] = "Job_Posting",
            ["domain"] = host,
        });
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), text);
        var redirectUrl = new Uri(JsonDocument.Parse(text).RootElement.GetProperty("redirect_url").GetString()!);
        Assert.That(redirectUrl.Host, Is.EqualTo(host));
        return new BrandedLink(host, redirectUrl.AbsolutePath);
    }

    private static async Task<HttpStatusCode> KeyStatusAsync(HttpClient node, string key, string trackingId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/link-tracking/links/{trackingId}");
        request.Headers.Add("X-API-Key", key);
        using var response = await node.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<string[]> CacheStatusesAsync(HttpClient[] nodes) =>
        await Task.WhenAll(nodes.Select(async node =>
        {
            try
            {
                // 503 when another check fails: the body still says what the cache check found.
                using var response = await node.GetAsync("/track/health");
                var body = await response.Content.ReadAsStringAsync();
                return JsonDocument.Parse(body).RootElement.GetProperty("checks").GetProperty("cache").GetProperty("status").GetString() ?? "";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
            {
                return "unknown";
            }
        }));
}
