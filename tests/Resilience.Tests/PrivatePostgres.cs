using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace LinkTracking.Resilience.Tests;

/// <summary>
/// A PostgreSQL cluster of this test's own (initdb into a temp dir, 127.0.0.1, a free port) that it may stop
/// and start without disturbing other tests. test.sh exports where the binaries are and whom to run them as.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    public const string BinVariable = "LINKTRACKING_TEST_PG_BIN";
    public const string RunAsVariable = "LINKTRACKING_TEST_PG_RUN_AS";

    private readonly string _bin;
    private readonly string[] _runAs;
    private readonly string _directory;
    private readonly int _port;

    private PrivatePostgres(string bin, string[] runAs, string directory, int port)
    {
        _bin = bin;
        _runAs = runAs;
        _directory = directory;
        _port = port;
    }

    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={_port};Username=postgres;Database={database};Timeout=3;Command Timeout=5";

    public static async Task<PrivatePostgres> StartAsync()
    {
        var bin = Environment.GetEnvironmentVariable(BinVariable)
            ?? throw new InvalidOperationException($"{BinVariable} is not set; run ./test.sh, which sets it.");
        var runAs = (Environment.GetEnvironmentVariable(RunAsVariable) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var directory = Directory.CreateTempSubdirectory("linktracking-outage-pg-").FullName;
        if (runAs.Length > 0)
        {
            await RunAsync("chown", ["postgres", directory]);
        }

        var port = FreePort();
        var postgres = new PrivatePostgres(bin, runAs, directory, port);
        await postgres.PgAsync("initdb", ["-D", Path.Combine(directory, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8"]);
        await postgres.StartServerAsync();
        return postgres;
    }

    public Task StartServerAsync() =>
        PgAsync("pg_ctl", ["-D", Path.Combine(_directory, "data"), "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60",
            "-o", $"-h 127.0.0.1 -p {_port} -k {_directory}", "start"]);

    /// <summary>An outage: the server goes away at once (connections are cut).</summary>
    public Task StopServerAsync() =>
        PgAsync("pg_ctl", ["-D", Path.Combine(_directory, "data"), "-m", "immediate", "-w", "stop"]);

    public async Task CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopServerAsync();
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        Directory.Delete(_directory, recursive: true);
    }

    private Task PgAsync(string tool, string[] arguments) =>
        _runAs.Length == 0
            ? RunAsync(Path.Combine(_bin, tool), arguments)
            : RunAsync(_runAs[0], [.. _runAs.Skip(1), Path.Combine(_bin, tool), .. arguments]);

    private static async Task RunAsync(string file, string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
