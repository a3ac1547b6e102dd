using System.CommandLine;
using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Infrastructure.Persistence;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>
/// The service binary's one command tree (System.CommandLine): <c>serve</c> (also when no command is given),
/// <c>api-keys create|list|revoke</c>, <c>rollups rebuild</c>, <c>spool move</c>, <c>migrate</c>, <c>export parquet</c>. Every command takes
/// <c>--help</c>, options as <c>--key value</c> or <c>--key=value</c>, and configuration keys as
/// <c>--Section:Key=value</c> (or <c>--Section:Key value</c>), which go to the host's configuration like environment
/// variables. <c>serve</c> passes every token it does not know (<c>--urls</c>, <c>--environment</c>…) to ASP.NET Core.
/// Exit codes: <see cref="Ok"/>, <see cref="Failure"/>, <see cref="UsageError"/>.
/// </summary>
public static class ServiceCommandLine
{
    /// <summary>The command did what it was asked.</summary>
    public const int Ok = 0;

    /// <summary>The command ran and failed: input the service refused, the database unreachable or refusing.</summary>
    public const int Failure = 1;

    /// <summary>Nothing ran: an unknown command or option, a missing or malformed value. The message names it.</summary>
    public const int UsageError = 2;

    private const string ExitCodes = "Exit codes: 0 success; 1 failure (the command ran and failed: input refused, database unreachable); "
                                     + "2 usage error (unknown command or option, missing or malformed value).";

    /// <summary>Parses <paramref name="args"/> and runs the command they name.</summary>
    /// <param name="args">The process's arguments.</param>
    /// <param name="readConfiguration">The service's configuration from ASP.NET Core arguments, without building the host.</param>
    /// <param name="buildHost">Builds the service's host from ASP.NET Core arguments; <c>true</c> for a command (quiet logging, no server).</param>
    /// <param name="serve">Initialises and runs the built host as the web service until it stops.</param>
    /// <param name="output">Where answers and help go (standard output by default).</param>
    /// <param name="error">Where errors and diagnostics go (standard error by default).</param>
    public static async Task<int> InvokeAsync(string[] args, Func<string[], IConfiguration> readConfiguration, Func<string[], bool, WebApplication> buildHost, Func<WebApplication, Task> serve, TextWriter? output = null, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(readConfiguration);
        ArgumentNullException.ThrowIfNull(buildHost);
        ArgumentNullException.ThrowIfNull(serve);
        output ??= Console.Out;
        error ??= Console.Error;

        var (commandArgs, configurationArgs) = SplitConfiguration(args);
        var context = new CommandContext(() => readConfiguration(configurationArgs), () => buildHost(configurationArgs, true), output, error);
        var root = new RootCommand("LinkTracking: self-hosted link and click tracking. With no command, serves the API (as `serve`).\n" + ExitCodes)
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        var serveCommand = new Command("serve", "Serve the API, the redirects and the dashboard (the default). Tokens it does not know "
                                                + "(--urls URL, --environment NAME, --Section:Key=value) go to ASP.NET Core's configuration.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        root.Subcommands.Add(serveCommand);
        root.Subcommands.Add(ApiKeyCommandLine.Create(context));
        root.Subcommands.Add(RollupCommandLine.Create(context));
        root.Subcommands.Add(SpoolCommandLine.Create(context));
        root.Subcommands.Add(MigrateCommandLine.Create(context));
        root.Subcommands.Add(ExportCommandLine.Create(context));

        Func<ParseResult, Task<int>> serveAction = async result =>
        {
            // Serving gets what the parser did not take: --urls, --environment, ASP.NET Core's own forms.
            var hostArgs = configurationArgs.Concat(result.UnmatchedTokens).ToArray();
            await serve(buildHost(hostArgs, false));
            return Ok;
        };
        root.SetAction((result, _) => serveAction(result));
        serveCommand.SetAction((result, _) => serveAction(result));

        var parsed = root.Parse(commandArgs);
        if (parsed.CommandResult.Command == root && commandArgs is [var first, ..] && !LooksLikeHostArgument(first))
        {
            await error.WriteLineAsync($"Unknown command '{first}'. Commands: {string.Join(", ", root.Subcommands.Select(c => c.Name))}; see --help.");
            return UsageError;
        }

        // Only serve takes tokens it does not know (for ASP.NET Core); anywhere else one is a usage error, by name.
        var errors = parsed.Errors.Select(e => e.Message).ToList();
        if (parsed.CommandResult.Command != root && parsed.CommandResult.Command != serveCommand)
        {
            errors.AddRange(parsed.UnmatchedTokens.Select(t => $"Unrecognized command or argument '{t}'."));
        }

        if (errors.Count > 0)
        {
            foreach (var message in errors.Distinct())
            {
                await error.WriteLineAsync(message);
            }

            await error.WriteLineAsync($"See: {HelpCommandFor(parsed.CommandResult.Command)}");
            return UsageError;
        }

        // No default exception handler: serve's failures propagate as before (WebApplicationFactory relies on it), and
        // each command reports its own. No termination timeout: the host drains on SIGTERM in its own time.
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
    }

    /// <summary>
    /// Takes the configuration keys out of the arguments: <c>--Section:Key=value</c> and <c>--Section:Key value</c>
    /// (a name with a colon). They go to the host's configuration, whatever the command.
    /// </summary>
    internal static (string[] Command, string[] Configuration) SplitConfiguration(IReadOnlyList<string> args)
    {
        var command = new List<string>();
        var configuration = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var name = arg.Split('=', 2)[0];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || !name.Contains(':', StringComparison.Ordinal))
            {
                command.Add(arg);
                continue;
            }

            configuration.Add(arg);
            if (!arg.Contains('=', StringComparison.Ordinal) && i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                configuration.Add(args[++i]);
            }
        }

        return (command.ToArray(), configuration.ToArray());
    }

    private static string HelpCommandFor(Command command)
    {
        var names = new List<string>();
        for (var current = command; current is not RootCommand; current = current.Parents.OfType<Command>().First())
        {
            names.Insert(0, current.Name);
        }

        return string.Join(' ', names.Append("--help"));
    }

    // A first token that is no option, directive or key=value names a command: one the tree does not know is a typo,
    // not a reason to start serving.
    private static bool LooksLikeHostArgument(string token) =>
        token.StartsWith('-') || token.StartsWith('/') || token.StartsWith('[') || token.Contains('=', StringComparison.Ordinal);
}

/// <summary>What a command's action runs with: the service's host, built on demand, and the two output streams.</summary>
public sealed class CommandContext(Func<IConfiguration> readConfiguration, Func<WebApplication> buildHost, TextWriter output, TextWriter error)
{
    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>
    /// Builds the host (nothing listens, no background job starts), initialises the database when asked (migrations
    /// when <c>Database:MigrateOnStartup</c>, the bootstrap key) and runs <paramref name="body"/> with its services.
    /// Input the use cases refuse is reported per option; any other failure by its message; both exit 1.
    /// </summary>
    public Task<int> RunAsync(Func<IServiceProvider, CancellationToken, Task<int>> body, bool initialiseDatabase, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return GuardAsync(async () =>
        {
            await using var host = buildHost();
            if (initialiseDatabase)
            {
                await host.Services.InitialiseDatabaseAsync(cancellationToken);
            }

            return await body(host.Services, cancellationToken);
        });
    }

    /// <summary>Runs <paramref name="body"/> with the service's configuration alone: no host, no connection string needed.</summary>
    public Task<int> RunWithConfigurationAsync(Func<IConfiguration, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return GuardAsync(() => body(readConfiguration(), cancellationToken));
    }

    private async Task<int> GuardAsync(Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (ValidationException e)
        {
            foreach (var (field, messages) in e.Errors)
            {
                // The use cases name snake_case fields; the command line calls them --kebab-case.
                await Error.WriteLineAsync($"--{field.Replace('_', '-')}: {string.Join(" ", messages)}");
            }

            return ServiceCommandLine.Failure;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await Error.WriteLineAsync($"error: {Describe(e)}");
            return ServiceCommandLine.Failure;
        }
    }

    private static string Describe(Exception e) =>
        e.InnerException is { } inner && !e.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? $"{e.Message} ({inner.GetType().Name}: {inner.Message})"
            : e.Message;
}
