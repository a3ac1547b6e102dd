using LinkTracking.Application.Common.Mapping;
using Mediator;

namespace LinkTracking.Application.Links.Commands.ActivateLink;

/// <summary>Lets a deactivated link redirect again.</summary>
public sealed record ActivateLinkCommand(string TrackingId) : ICommand<LinkDto>;
