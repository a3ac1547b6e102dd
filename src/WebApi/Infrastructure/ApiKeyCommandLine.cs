using System.Text.Json;
using LinkTracking.Application.ApiKeys.Commands.CreateApiKey;
using LinkTracking.Application.ApiKeys.Commands.RevokeApiKey;
using LinkTracking.Application.ApiKeys.Queries.ListApiKeys;
using LinkTracking.Application.Common.Exceptions;
using Mediator;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>
/// <c>dotnet run --project src/WebApi -- api-keys create --name ops --scopes admin[,links:write…]</c>,
/// <c>… api-keys list</c>, <c>… api-keys revoke {id}</c>: key management without a running server or a
/// bootstrap key, through the same use cases as the HTTP routes. Exit code 0 on success, 1 on bad input.
/// </summary>
public static class ApiKeyCommandLine
{
    public const string Verb = "api-keys";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public static bool IsCommand(string[] args) => args is [Verb, ..];

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        await using var scope = services.CreateAsyncScope();
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        try
        {
            switch (args.Skip(1).FirstOrDefault())
            {
                case "create":
                    var scopes = Option(args, "--scopes")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    var created = await sender.Send(new CreateApiKeyCommand(Option(args, "--name"), scopes));
                    await output.WriteLineAsync(JsonSerializer.Serialize(created, Json));
                    await error.WriteLineAsync("Store the key now: it is not shown again.");
                    return 0;
                case "list":
                    await output.WriteLineAsync(JsonSerializer.Serialize(await sender.Send(new ListApiKeysQuery()), Json));
                    return 0;
                case "revoke" when args.Length > 2 && Guid.TryParse(args[2], out var id):
                    await sender.Send(new RevokeApiKeyCommand(id));
                    await output.WriteLineAsync($"revoked {id}");
                    return 0;
                default:
                    await error.WriteLineAsync("usage: api-keys create --name NAME --scopes SCOPE[,SCOPE…] | api-keys list | api-keys revoke ID");
                    return 1;
            }
        }
        catch (ValidationException e)
        {
            foreach (var (field, messages) in e.Errors)
            {
                await error.WriteLineAsync($"{field}: {string.Join(" ", messages)}");
            }

            return 1;
        }
        catch (NotFoundException e)
        {
            await error.WriteLineAsync(e.Message);
            return 1;
        }
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
