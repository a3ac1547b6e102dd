using FluentValidation;
using LinkTracking.Domain.Links;

namespace LinkTracking.Application.Links.Queries.ListLinks;

public sealed class ListLinksQueryValidator : AbstractValidator<ListLinksQuery>
{
    public const int MaxPage = 1_000_000;

    public ListLinksQueryValidator()
    {
        RuleFor(q => q.Page).InclusiveBetween(1, MaxPage);
        RuleFor(q => q.PageSize).InclusiveBetween(1, ListLinksQuery.MaxPageSize);
        RuleFor(q => q.LinkFunction).Must(f => f is null || LinkFunction.IsWellFormed(f))
            .WithMessage("A link function is 1 to 50 letters, digits, '_' or '-'.");
    }
}
