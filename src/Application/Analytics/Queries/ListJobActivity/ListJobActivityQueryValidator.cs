using FluentValidation;

namespace LinkTracking.Application.Analytics.Queries.ListJobActivity;

public sealed class ListJobActivityQueryValidator : AbstractValidator<ListJobActivityQuery>
{
    public ListJobActivityQueryValidator() => RuleFor(q => q.Limit).InclusiveBetween(1, ListJobActivityQuery.MaxLimit);
}
