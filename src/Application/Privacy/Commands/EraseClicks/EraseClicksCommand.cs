using LinkTracking.Application.Common.Interfaces;
using Mediator;

namespace LinkTracking.Application.Privacy.Commands.EraseClicks;

/// <summary>GDPR erasure: deletes the clicks matching every given filter. At least one filter is required.</summary>
public sealed record EraseClicksCommand(string? IpAddress, string? SessionId, Guid? ApplicationId, Guid? JobId, string RequestedBy)
    : ICommand<ErasureResultDto>, IChangesRecordedClicks;

public sealed record ErasureResultDto(int Deleted);
