using System.Diagnostics;
using System.Net;
using System.Text.Json;
using LinkTracking.Tests.Shared;

namespace LinkTracking.Cluster.FaultTests;

/// <summary>
/// A cluster made by <c>scripts/cluster.sh start</c> (PostgreSQL, Redis, three nodes, HAProxy), driven through the
/// same script's commands; disposing it runs <c>cluster.sh stop</c>, which ends every process and removes every
/// directory it made.
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    public const int Nodes = 3;

    private readonly Dictionary<string, string> _values;

    private Cluster(Dictionary<string, string> values) => _values = values;

    public string Directory => _values["CLUSTER_DIR"];

    public Uri Balancer => new(_values["HAPROXY"]);

    public string ConnectionString => _values["POSTGRES"];

    public string AdminKey => _values["ADMIN_KEY"];

    /// <summary>The branded domain every node serves (<c>LinkTracking:Domains:0</c>).</summary>
    public string BrandHost => _values["BRAND_HOST"];

    /// <summary>Node <paramref name="n"/> (1–3) directly, bypassing HAProxy.</summary>
    public Uri Node(int n) => new(_values[$"NODE{n}"]);

    public static async Task<Cluster> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var (code, output) = await RunScriptAsync(null, settings, "start");
        Assert.That(code, Is.EqualTo(0), "cluster.sh start failed:\n" + output);
        var values = output.Split('\n')
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2 && parts[0].Length > 0 && parts[0].All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_'))
            .ToDictionary(parts => parts[0], parts => parts[1].Trim());
        return new Cluster(values);
    }

    public Task KillNodeAsync(int n) => CommandAsync("kill-node", n.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public Task TerminateNodeAsync(int n) => CommandAsync("term-node", n.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public Task StartNodeAsync(int n) => CommandAsync("start-node", n.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public Task StopRedisAsync() => CommandAsync("stop-redis");

    public Task StartRedisAsync() => CommandAsync("start-redis");

    public Task StopPostgresAsync() => CommandAsync("stop-postgres");

    public Task StartPostgresAsync() => CommandAsync("start-postgres");

    public static HttpClient Client(Uri baseAddress, string? apiKey)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, MaxConnectionsPerServer = 64 })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        }

        return client;
    }

    /// <summary>The status of a GET, or 0 when the node does not answer at all.</summary>
    public static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path)
    {
        try
        {
            using var response = await client.GetAsync(path);
            return response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }

    /// <summary>The click queue's data from a node's <c>/track/health</c>, or null when it does not answer.</summary>
    public static async Task<JsonElement?> ClickQueueAsync(HttpClient client)
    {
        try
        {
            var body = await client.GetStringAsync("/track/health");
            return JsonDocument.Parse(body).RootElement.GetProperty("checks").GetProperty("click_queue").GetProperty("data").Clone();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Polls <paramref name="condition"/> every 50 ms; the time it took, or fails after <paramref name="timeout"/>.</summary>
    public static async Task<TimeSpan> WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds} s waiting for: {what}");
            }

            await Task.Delay(50);
        }

        return clock.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        var (code, output) = await RunScriptAsync(Directory, null, "stop");
        if (code != 0)
        {
            await TestContext.Progress.WriteLineAsync("cluster.sh stop: " + output);
        }
    }

    private async Task CommandAsync(params string[] arguments)
    {
        var (code, output) = await RunScriptAsync(Directory, null, arguments);
        Assert.That(code, Is.EqualTo(0), $"cluster.sh {string.Join(' ', arguments)} failed:\n{output}");
    }

    internal static async Task<(int Code, string Output)> RunScriptAsync(string? directory, IReadOnlyDictionary<string, string>? settings, params string[] arguments)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(RepositoryRoot.Combine("scripts", "cluster.sh"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (directory is not null)
        {
            info.Environment["CLUSTER_DIR"] = directory;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
