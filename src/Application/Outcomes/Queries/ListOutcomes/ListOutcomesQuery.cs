using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Outcomes.Common;
using Mediator;

namespace LinkTracking.Application.Outcomes.Queries.ListOutcomes;

/// <summary>An application's outcomes, oldest first by <c>occurred_at</c> (at most 1000).</summary>
public sealed record ListOutcomesQuery(Guid ApplicationId) : IQuery<IReadOnlyList<OutcomeDto>>;

public sealed class ListOutcomesQueryHandler(IApplicationOutcomeRepository outcomes) : IQueryHandler<ListOutcomesQuery, IReadOnlyList<OutcomeDto>>
{
    public async ValueTask<IReadOnlyList<OutcomeDto>> Handle(ListOutcomesQuery query, CancellationToken cancellationToken) =>
        [.. (await outcomes.ListAsync(query.ApplicationId, OutcomeLimits.MaxPerApplication, cancellationToken)).Select(OutcomeDto.From)];
}
