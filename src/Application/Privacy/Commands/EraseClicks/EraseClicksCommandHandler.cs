using LinkTracking.Application.Common.Interfaces;
using Mediator;
using Microsoft.Extensions.Logging;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Application.Privacy.Commands.EraseClicks;

/// <summary>Erases matching clicks and writes an audit record: who, when, which filter, how many rows.</summary>
public sealed partial class EraseClicksCommandHandler(IClickPrivacyStore store, TimeProvider timeProvider, ILoggerFactory loggers)
    : ICommandHandler<EraseClicksCommand, ErasureResultDto>
{
    public const string AuditCategory = "LinkTracking.Audit";

    private readonly ILogger _audit = loggers.CreateLogger(AuditCategory);

    public async ValueTask<ErasureResultDto> Handle(EraseClicksCommand command, CancellationToken cancellationToken)
    {
        var filter = new ClickErasureFilter(
            command.IpAddress is null ? null : IpAddresses.Parse(command.IpAddress),
            command.SessionId,
            command.ApplicationId,
            command.JobId);
        var deleted = await store.EraseAsync(filter, cancellationToken);
        LogErasure(_audit, command.RequestedBy, timeProvider.GetUtcNow().UtcDateTime, Describe(command), deleted);
        return new ErasureResultDto(deleted);
    }

    /// <summary>The filter as given; an IP is named by its kind only, so the audit log does not re-store it.</summary>
    private static string Describe(EraseClicksCommand c) => string.Join(", ", new[]
    {
        c.IpAddress is null ? null : "ip_address=(given)",
        c.SessionId is null ? null : "session_id=(given)",
        c.ApplicationId is null ? null : $"application_id={c.ApplicationId}",
        c.JobId is null ? null : $"job_id={c.JobId}",
    }.Where(p => p is not null));

    [LoggerMessage(Level = LogLevel.Warning, Message = "AUDIT erasure by {RequestedBy} at {At:O}: filter {Filter}; {Deleted} clicks deleted")]
    private static partial void LogErasure(ILogger logger, string requestedBy, DateTime at, string filter, int deleted);
}
