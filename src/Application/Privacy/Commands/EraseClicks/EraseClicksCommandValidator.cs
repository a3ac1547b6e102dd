using FluentValidation;
using LinkTracking.Application.Clicks.Commands.RecordClick;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Application.Privacy.Commands.EraseClicks;

public sealed class EraseClicksCommandValidator : AbstractValidator<EraseClicksCommand>
{
    public EraseClicksCommandValidator()
    {
        RuleFor(c => c)
            .Must(c => c.IpAddress is not null || c.SessionId is not null || c.ApplicationId is not null || c.JobId is not null)
            .OverridePropertyName("filter")
            .WithMessage("Give at least one of ip_address, session_id, application_id, job_id: erasing every click is not a privacy request.");
        RuleFor(c => c.IpAddress).Must(RecordClickCommandValidator.BeIpAddress).WithMessage("ip_address must be an IPv4 or IPv6 address.");
        RuleFor(c => c.SessionId).NotEmpty().MaximumLength(LinkClick.MaxSessionIdLength)
            .Must(s => !s!.Contains('\0', StringComparison.Ordinal)).WithMessage("session_id must not contain NUL characters.")
            .When(c => c.SessionId is not null);
    }
}
