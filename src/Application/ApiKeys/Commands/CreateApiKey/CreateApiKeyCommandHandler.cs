using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.ApiKeys;
using Mediator;

namespace LinkTracking.Application.ApiKeys.Commands.CreateApiKey;

public sealed class CreateApiKeyCommandHandler(IApiKeyStore store, IApiKeySecrets secrets, IUnitOfWork unitOfWork, TimeProvider timeProvider)
    : ICommandHandler<CreateApiKeyCommand, CreatedApiKeyDto>
{
    public async ValueTask<CreatedApiKeyDto> Handle(CreateApiKeyCommand command, CancellationToken cancellationToken)
    {
        var secret = secrets.Generate();
        var key = ApiKey.Create(command.Name!, command.Scopes!, secrets.Hash(secret), secrets.DisplayPrefix(secret), timeProvider.GetUtcNow().UtcDateTime);
        store.Add(key);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return new CreatedApiKeyDto(key.Id, key.Name, key.ScopeList, key.CreatedAt, secret);
    }
}
