using LinkTracking.Application.Common.Mapping;
using Mediator;

namespace LinkTracking.Application.Links.Queries.GetLink;

/// <summary>One link, as an external redirector needs it.</summary>
public sealed record GetLinkQuery(string TrackingId) : IQuery<LinkDto>;
