using System.CommandLine;
using System.Text.Json;
using LinkTracking.Application.ApiKeys.Commands.CreateApiKey;
using LinkTracking.Application.ApiKeys.Commands.RevokeApiKey;
using LinkTracking.Application.ApiKeys.Queries.ListApiKeys;
using LinkTracking.Application.Common.Exceptions;
using Mediator;

namespace LinkTracking.WebApi.Infrastructure;

/// <summary>
/// <c>api-keys create --name ops --scopes admin[,links:write…]</c>, <c>api-keys list</c>, <c>api-keys revoke ID</c>:
/// key management without a running server or a bootstrap key, through the same use cases as the HTTP routes.
/// </summary>
public static class ApiKeyCommandLine
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public static Command Create(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = new Option<string>("--name") { Description = "What the key is for (shown in lists).", Required = true };
        var scopes = new Option<string>("--scopes") { Description = "Comma-separated scopes: admin, links:write, analytics:read, …", Required = true };
        var create = new Command("create", "Create a key and print it (JSON) once: only its hash is stored.") { name, scopes };
        create.SetAction((result, cancellationToken) => context.RunAsync(async (services, ct) =>
        {
            var scopeList = result.GetValue(scopes)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var created = await SendAsync(services, sender => sender.Send(new CreateApiKeyCommand(result.GetValue(name), scopeList), ct));
            await context.Output.WriteLineAsync(JsonSerializer.Serialize(created, Json));
            await context.Error.WriteLineAsync("Store the key now: it is not shown again.");
            return ServiceCommandLine.Ok;
        }, initialiseDatabase: true, cancellationToken));

        var list = new Command("list", "List the keys (JSON, no secrets).");
        list.SetAction((_, cancellationToken) => context.RunAsync(async (services, ct) =>
        {
            await context.Output.WriteLineAsync(JsonSerializer.Serialize(await SendAsync(services, sender => sender.Send(new ListApiKeysQuery(), ct)), Json));
            return ServiceCommandLine.Ok;
        }, initialiseDatabase: true, cancellationToken));

        var id = new Argument<Guid>("id") { Description = "The key's id (from list or create)." };
        var revoke = new Command("revoke", "Revoke a key: refused from then on.") { id };
        revoke.SetAction((result, cancellationToken) => context.RunAsync(async (services, ct) =>
        {
            var keyId = result.GetValue(id);
            try
            {
                await SendAsync(services, sender => sender.Send(new RevokeApiKeyCommand(keyId), ct));
            }
            catch (NotFoundException e)
            {
                await context.Error.WriteLineAsync(e.Message);
                return ServiceCommandLine.Failure;
            }

            await context.Output.WriteLineAsync($"revoked {keyId}");
            return ServiceCommandLine.Ok;
        }, initialiseDatabase: true, cancellationToken));

        return new Command("api-keys", "Manage API keys in the configured database (no server needed).") { create, list, revoke };
    }

    private static async Task<T> SendAsync<T>(IServiceProvider services, Func<ISender, ValueTask<T>> send)
    {
        await using var scope = services.CreateAsyncScope();
        return await send(scope.ServiceProvider.GetRequiredService<ISender>());
    }
}
