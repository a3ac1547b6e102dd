using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LinkTracking.Cluster.FaultTests;

/// <summary>
/// HAProxy as <c>scripts/cluster.sh</c> configures it, in front of three stand-in nodes of which the first to get a
/// click takes the request and closes the connection without a byte of answer (a node killed with <c>kill -9</c>
/// after journalling the click). The redirect must reach the visitor from another node with the same request id, so
/// that the two nodes' copies are one click (<c>Network:RequestIdHeader</c>). HAProxy's default instead closes the
/// visitor's connection without an answer when the request was not the connection's first, and the client's retry
/// (a browser's, or .NET's on a reused connection) is a new request with a new id: the click stored twice, as the
/// fault test once saw. Seconds, not minutes: no service, database or Redis.
/// </summary>
[NonParallelizable]
public sealed class BalancerRetryTests
{
    [TestCase(true, TestName = "A GET on a reused connection, taken by a node that dies, is answered by another node with the same request id")]
    [TestCase(false, TestName = "A GET on a new connection, taken by a node that dies, is answered by another node with the same request id")]
    public async Task Redirect_TakenByADyingNode_IsResentByHAProxyWithItsId(bool reusedConnection)
    {
        await using var nodes = new StandInNodes();
        await using var haproxy = await HAProxy.StartAsync(nodes);
        using var client = Cluster.Client(haproxy.Address, null);
        if (reusedConnection)
        {
            // The connection goes back to the handler's pool and carries the click next, as a partner batch's
            // connection carried redirects in ClusterLoad (a request's Connection: close does not keep it off a pooled one).
            using var warm = await client.GetAsync(new Uri("/warm", UriKind.Relative));
            Assert.That(warm.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "/click");
        request.Headers.ConnectionClose = true;
        using var response = await client.SendAsync(request);

        var clicks = nodes.Clicks.ToList();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Found), "the visitor is redirected all the same");
            Assert.That(clicks, Has.Count.EqualTo(2), "the dying node and the one HAProxy sent the request to next");
            Assert.That(clicks.Select(c => c.RequestId).Distinct().ToList(), Has.Count.EqualTo(1), "both copies carry one request id: one click");
            Assert.That(clicks.Select(c => c.RequestId), Has.All.Not.Null);
        });
    }

    [Test]
    public async Task APost_TakenByADyingNode_IsNotResentByHAProxy()
    {
        await using var nodes = new StandInNodes();
        await using var haproxy = await HAProxy.StartAsync(nodes);
        using var client = Cluster.Client(haproxy.Address, null);

        // A partner batch without event_ids, or an API write, has no idempotency key: HAProxy must not send it twice.
        using var response = await client.PostAsync(new Uri("/click", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
            Assert.That(nodes.Clicks, Has.Count.EqualTo(1), "only the node that died saw it");
        });
    }

    /// <summary>HAProxy in the foreground, with the configuration <c>cluster.sh haproxy-config</c> writes for the stand-ins' ports.</summary>
    private sealed class HAProxy : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _directory;

        private HAProxy(Process process, string directory, Uri address) => (_process, _directory, Address) = (process, directory, address);

        public Uri Address { get; }

        public static async Task<HAProxy> StartAsync(StandInNodes nodes)
        {
            var directory = Directory.CreateTempSubdirectory("linktracking-haproxy-").FullName;
            var port = FreePort();
            var settings = new Dictionary<string, string> { ["HAPROXY_PORT"] = port.ToString(CultureInfo.InvariantCulture) };
            for (var n = 1; n <= Cluster.Nodes; n++)
            {
                settings[$"NODE{n}_PORT"] = nodes.Port(n).ToString(CultureInfo.InvariantCulture);
            }

            var config = Path.Combine(directory, "haproxy.cfg");
            var (code, output) = await Cluster.RunScriptAsync(null, settings, "haproxy-config", config);
            Assert.That(code, Is.EqualTo(0), "cluster.sh haproxy-config failed:\n" + output);
            var info = new ProcessStartInfo("haproxy") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "-db", "-f", config })
            {
                info.ArgumentList.Add(argument);
            }

            var process = Process.Start(info)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var haproxy = new HAProxy(process, directory, new Uri($"http://127.0.0.1:{port}"));
            using var probe = Cluster.Client(haproxy.Address, null);
            await Cluster.WaitForAsync(async () => await Cluster.StatusAsync(probe, "/warm") == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "HAProxy answers");
            nodes.Clicks.Clear();
            return haproxy;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
            Directory.Delete(_directory, recursive: true);
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }

    /// <summary>
    /// Three minimal HTTP/1.1 servers: 200 for health checks and <c>/warm</c>; for <c>/click</c> they note the request
    /// id, and the first one to get a click closes the connection without answering, the others answer 302.
    /// </summary>
    private sealed class StandInNodes : IAsyncDisposable
    {
        private readonly TcpListener[] _listeners;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task[] _accepting;
        private int _died;

        public StandInNodes()
        {
            _listeners = Enumerable.Range(0, Cluster.Nodes).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
            foreach (var listener in _listeners)
            {
                listener.Start();
            }

            _accepting = _listeners.Select((l, i) => Task.Run(() => AcceptAsync(l, i + 1))).ToArray();
        }

        public ConcurrentQueue<(int Node, string Method, string? RequestId)> Clicks { get; } = new();

        public int Port(int n) => ((IPEndPoint)_listeners[n - 1].LocalEndpoint).Port;

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            foreach (var listener in _listeners)
            {
                listener.Stop();
            }

            await Task.WhenAll(_accepting.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
            _stop.Dispose();
        }

        private async Task AcceptAsync(TcpListener listener, int node)
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket socket;
                try
                {
                    socket = await listener.AcceptSocketAsync(_stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                _ = Task.Run(() => ServeAsync(socket, node));
            }
        }

        private async Task ServeAsync(Socket socket, int node)
        {
            using (socket)
            await using (var stream = new NetworkStream(socket, ownsSocket: false))
            {
                try
                {
                    while (await ReadRequestAsync(stream) is { } request)
                    {
                        var (method, path, headers) = request;
                        var close = headers.TryGetValue("connection", out var connection) && connection.Equals("close", StringComparison.OrdinalIgnoreCase);
                        string status;
                        if (path == "/click")
                        {
                            Clicks.Enqueue((node, method, headers.GetValueOrDefault("x-request-id")));
                            if (Interlocked.Exchange(ref _died, 1) == 0)
                            {
                                return; // taken (journalled), never answered: the connection closes
                            }

                            status = "302 Found\r\nLocation: https://example.com/job";
                        }
                        else
                        {
                            status = "200 OK";
                        }

                        var answer = $"HTTP/1.1 {status}\r\nContent-Length: 0\r\n{(close ? "Connection: close\r\n" : "")}\r\n";
                        await stream.WriteAsync(Encoding.ASCII.GetBytes(answer));
                        if (close || path.StartsWith("/health", StringComparison.Ordinal))
                        {
                            return;
                        }
                    }
                }
                catch (IOException)
                {
                    // HAProxy went away.
                }
            }
        }

        /// <summary>One request (its body read and dropped), or null when the connection ends first.</summary>
        private static async Task<(string Method, string Path, Dictionary<string, string> Headers)?> ReadRequestAsync(NetworkStream stream)
        {
            var head = new StringBuilder();
            var one = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (await stream.ReadAsync(one) == 0)
                {
                    return null;
                }

                head.Append((char)one[0]);
            }

            var lines = head.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            var start = lines[0].Split(' ');
            var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
            if (headers.TryGetValue("content-length", out var length))
            {
                await stream.ReadExactlyAsync(new byte[int.Parse(length, CultureInfo.InvariantCulture)]);
            }

            return (start[0], start[1], headers);
        }
    }
}
