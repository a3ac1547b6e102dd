using Mediator;

namespace LinkTracking.Application.ApiKeys.Commands.CreateApiKey;

/// <summary>Creates an API key. The secret is in the answer, once; only its hash is stored.</summary>
public sealed record CreateApiKeyCommand(string? Name, IReadOnlyList<string>? Scopes) : ICommand<CreatedApiKeyDto>;

public sealed record CreatedApiKeyDto(Guid Id, string Name, IReadOnlyList<string> Scopes, DateTime CreatedAt, string Key);
