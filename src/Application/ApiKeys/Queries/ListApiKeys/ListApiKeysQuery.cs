using Mediator;

namespace LinkTracking.Application.ApiKeys.Queries.ListApiKeys;

/// <summary>Every key, oldest first, without secrets.</summary>
public sealed record ListApiKeysQuery : IQuery<IReadOnlyList<ApiKeyDto>>;

public sealed class ListApiKeysQueryHandler(LinkTracking.Application.Common.Interfaces.IApiKeyStore store)
    : IQueryHandler<ListApiKeysQuery, IReadOnlyList<ApiKeyDto>>
{
    public async ValueTask<IReadOnlyList<ApiKeyDto>> Handle(ListApiKeysQuery query, CancellationToken cancellationToken) =>
        (await store.ListAsync(cancellationToken)).Select(ApiKeyDto.From).ToList();
}
