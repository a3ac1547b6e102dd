using FluentValidation;

namespace LinkTracking.Application.Clicks.Queries.ListOrphanVisits;

public sealed class ListOrphanVisitsQueryValidator : AbstractValidator<ListOrphanVisitsQuery>
{
    public ListOrphanVisitsQueryValidator() =>
        RuleFor(q => q.Days).InclusiveBetween(1, ListOrphanVisitsQuery.MaxDays);
}
