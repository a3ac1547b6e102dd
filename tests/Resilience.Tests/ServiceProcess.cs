using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LinkTracking.Tests.Shared;

namespace LinkTracking.Resilience.Tests;

/// <summary>The service's own binary, started as a child process on a free port, which a test can kill -9.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    public const string AdminKey = "ltk_ResilienceAdminKey00000000000000000000";

    private readonly Process _process;

    private ServiceProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static Task<ServiceProcess> StartAsync(string connectionString, string workDirectory, IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:LinkTracking"] = connectionString,
            ["ClickPipeline:SpoolDirectory"] = Path.Combine(workDirectory, "spool"),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        return LaunchAsync(workDirectory, environment);
    }

    /// <summary>
    /// The service as a newcomer starts it: no database or spool settings (SQLite and the spool under <c>./data/</c>),
    /// from <paramref name="workDirectory"/>, which is not the binary's directory.
    /// </summary>
    public static Task<ServiceProcess> StartOnDefaultsAsync(string workDirectory) =>
        LaunchAsync(workDirectory, new Dictionary<string, string>());

    private static async Task<ServiceProcess> LaunchAsync(string workDirectory, IReadOnlyDictionary<string, string> settings)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(WebApiAssembly());
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Auth__BootstrapApiKey"] = AdminKey;
        info.Environment["RateLimits__ClicksPerMinutePerIp"] = "0";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the service.");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { TestContext.Progress.WriteLine("[service] " + e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { TestContext.Progress.WriteLine("[service] " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var service = new ServiceProcess(process, new Uri($"http://127.0.0.1:{port}"));
        await service.WaitUntilLiveAsync(TimeSpan.FromSeconds(60));
        return service;
    }

    public HttpClient CreateClient(string? apiKey = AdminKey)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, MaxConnectionsPerServer = 256 })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        }

        return client;
    }

    /// <summary>SIGKILL: no shutdown hooks, no draining, no flushing.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, as an orchestrator stops a container: the service drains and exits by itself.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>The exit code once the process has ended, or null when it is still running after <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Waits until the spool is empty and the database takes writes again, as <c>/track/health</c> reports.</summary>
    public async Task WaitUntilSpoolDrainedAsync(TimeSpan timeout)
    {
        using var client = CreateClient(null);
        var deadline = DateTime.UtcNow + timeout;
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await client.GetStringAsync("/track/health");
                var data = JsonDocument.Parse(last).RootElement.GetProperty("checks").GetProperty("click_queue").GetProperty("data");
                if (data.GetProperty("spool_bytes").GetInt64() == 0 && data.GetProperty("database_available").GetBoolean() && data.GetProperty("queue_depth").GetInt32() == 0)
                {
                    return;
                }
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"The spool was not drained within {timeout}; last health: {last}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilLiveAsync(TimeSpan timeout)
    {
        using var client = CreateClient(null);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"The service exited with code {_process.ExitCode} during start-up.");
            }

            try
            {
                using var response = await client.GetAsync("/health/live");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        Assert.Fail($"The service did not start within {timeout}.");
    }

    /// <summary>The service binary built beside this test assembly's configuration (Debug or Release).</summary>
    public static string WebApiAssembly()
    {
        var here = AppContext.BaseDirectory;
        var configuration = here.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = RepositoryRoot.Combine("src", "WebApi", "bin", configuration, "net10.0", "LinkTracking.WebApi.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first.", path);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
