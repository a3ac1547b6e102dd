using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LinkTracking.Tests.Shared;

/// <summary>A <c>nats-server -js</c> of a test's own, on a free port with its own store, that the test can stop and start again.</summary>
public sealed class PrivateNatsServer : IDisposable
{
    /// <summary>The <c>nats-server</c> binary (test.sh sets it).</summary>
    public const string ServerVariable = "LINKTRACKING_TEST_NATS_SERVER";

    private readonly string _binary;
    private readonly string _directory = Directory.CreateTempSubdirectory("linktracking-nats-").FullName;
    private Process? _process;

    private PrivateNatsServer(string binary)
    {
        _binary = binary;
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public int Port { get; }

    public string Url => $"nats://127.0.0.1:{Port}";

    /// <summary>Starts a server from <c>LINKTRACKING_TEST_NATS_SERVER</c>, or ignores the test when there is none.</summary>
    public static async Task<PrivateNatsServer> StartOrIgnoreAsync()
    {
        var binary = Environment.GetEnvironmentVariable(ServerVariable);
        if (string.IsNullOrEmpty(binary) || !File.Exists(binary))
        {
            Assert.Ignore($"{ServerVariable} is not set: no nats-server to stop and start (./test.sh sets it).");
        }

        var server = new PrivateNatsServer(binary!);
        await server.StartAsync();
        return server;
    }

    /// <summary>Starts the server (again) on the same port and store, and waits until it listens.</summary>
    public async Task StartAsync()
    {
        _process = Process.Start(new ProcessStartInfo(_binary, ["-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-js", "-sd", Path.Combine(_directory, "store")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        _process.ErrorDataReceived += (_, _) => { };
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>An outage: the process is killed at once (its store stays for <see cref="StartAsync"/>).</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
