using FluentValidation;

namespace LinkTracking.Application.Analytics.Queries.ListApplicationActivity;

public sealed class ListApplicationActivityQueryValidator : AbstractValidator<ListApplicationActivityQuery>
{
    public ListApplicationActivityQueryValidator() => RuleFor(q => q.Limit).InclusiveBetween(1, ListApplicationActivityQuery.MaxLimit);
}
