using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Application.Common.Interfaces;
using Mediator;

namespace LinkTracking.Application.ApiKeys.Commands.RevokeApiKey;

public sealed class RevokeApiKeyCommandHandler(
    IApiKeyStore store,
    IUnitOfWork unitOfWork,
    IApiKeyRevocations revocations,
    IDashboardSessionStore dashboardSessions,
    TimeProvider timeProvider)
    : ICommandHandler<RevokeApiKeyCommand>
{
    public async ValueTask<Unit> Handle(RevokeApiKeyCommand command, CancellationToken cancellationToken)
    {
        var key = await store.FindAsync(command.Id, cancellationToken) ?? throw NotFoundException.For("API key", command.Id);
        key.Revoke(timeProvider.GetUtcNow().UtcDateTime);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        await dashboardSessions.EndAllOfKeyAsync(key.Id, cancellationToken);
        await revocations.PublishRevokedAsync(key.KeyHash, cancellationToken);
        return Unit.Value;
    }
}
