using LinkTracking.Application.Common.Mapping;
using Mediator;

namespace LinkTracking.Application.Links.Commands.CreateTrackedLink;

/// <summary>Creates one tracked link. Body of <c>POST /api/v1/link-tracking/create</c>.</summary>
public sealed record CreateTrackedLinkCommand(
    string? OriginalUrl,
    string? LinkFunction,
    string? LinkType = null,
    Guid? JobId = null,
    Guid? ApplicationId = null,
    string? Description = null,
    string? CreatedBy = null) : ICommand<LinkDto>;
