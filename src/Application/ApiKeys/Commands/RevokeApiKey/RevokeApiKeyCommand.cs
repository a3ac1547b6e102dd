using Mediator;

namespace LinkTracking.Application.ApiKeys.Commands.RevokeApiKey;

/// <summary>Revokes a key: refused at once, on every instance, and its dashboard sessions end. Revoking twice is harmless.</summary>
public sealed record RevokeApiKeyCommand(Guid Id) : ICommand;
