using FluentValidation;
using LinkTracking.Application.Common.Validation;

namespace LinkTracking.Application.Links.Queries.GetLinkQrCode;

public sealed class GetLinkQrCodeQueryValidator : AbstractValidator<GetLinkQrCodeQuery>
{
    public GetLinkQrCodeQueryValidator()
    {
        RuleFor(q => q.TrackingId).MustBeTrackingId();
        RuleFor(q => q.Format)
            .Must(f => f is null or GetLinkQrCodeQuery.Png or GetLinkQrCodeQuery.Svg)
            .WithMessage("format is png or svg.");
        RuleFor(q => q.Size)
            .InclusiveBetween(GetLinkQrCodeQuery.MinSize, GetLinkQrCodeQuery.MaxSize)
            .WithMessage($"size is between {GetLinkQrCodeQuery.MinSize} and {GetLinkQrCodeQuery.MaxSize} pixels.");
    }
}
