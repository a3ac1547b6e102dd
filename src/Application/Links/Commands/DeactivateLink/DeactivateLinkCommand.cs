using LinkTracking.Application.Common.Mapping;
using Mediator;

namespace LinkTracking.Application.Links.Commands.DeactivateLink;

/// <summary>Stops a link from redirecting, at once, on every instance.</summary>
public sealed record DeactivateLinkCommand(string TrackingId) : ICommand<LinkDto>;
