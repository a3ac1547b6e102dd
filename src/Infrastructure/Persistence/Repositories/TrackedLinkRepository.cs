using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Models;
using LinkTracking.Domain.Links;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Infrastructure.Persistence.Repositories;

public sealed class TrackedLinkRepository(LinkTrackingDbContext db, BoundedReads reads) : ITrackedLinkRepository
{
    public Task<TrackedLink?> GetByTrackingIdAsync(string trackingId, CancellationToken cancellationToken) =>
        TrackingId.TryParse(trackingId, out var id)
            ? db.Links.FirstOrDefaultAsync(l => l.TrackingId == id!, cancellationToken)
            : Task.FromResult<TrackedLink?>(null);

    public Task<bool> TrackingIdExistsAsync(string trackingId, CancellationToken cancellationToken)
    {
        var id = TrackingId.Parse(trackingId);
        return db.Links.AnyAsync(l => l.TrackingId == id, cancellationToken);
    }

    public async Task<LinkTarget?> FindTargetAsync(TrackingId trackingId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trackingId);
        var row = await db.Links.AsNoTracking()
            .Where(l => l.TrackingId == trackingId)
            .Select(l => new { l.OriginalUrl, l.IsActive, l.SentAt, l.LinkFunction, l.ExpiresAt, l.MaxHumanClicks, l.FallbackUrl, l.Variants, l.Domain })
            .FirstOrDefaultAsync(cancellationToken);
        return row is null
            ? null
            : new LinkTarget(trackingId.Value, row.OriginalUrl.Value, row.IsActive, row.SentAt, LinkFunction.IsDecoy(row.LinkFunction))
            {
                ExpiresAt = row.ExpiresAt,
                MaxHumanClicks = row.MaxHumanClicks,
                FallbackUrl = row.FallbackUrl?.Value,
                Variants = row.Variants?.Items.Select(v => new VariantTarget(v.Key, v.Url.Value, v.Weight)).ToArray(),
                Domain = row.Domain,
            };
    }

    public Task<bool> ShortCodeExistsAsync(string domain, string shortCode, CancellationToken cancellationToken) =>
        db.Links.AnyAsync(l => l.Domain == domain && l.ShortCode == shortCode, cancellationToken);

    public async Task<string?> FindTrackingIdByShortCodeAsync(string domain, string shortCode, CancellationToken cancellationToken)
    {
        var id = await db.Links.AsNoTracking()
            .Where(l => l.Domain == domain && l.ShortCode == shortCode)
            .Select(l => l.TrackingId)
            .FirstOrDefaultAsync(cancellationToken);
        return id?.Value;
    }

    public async Task<IReadOnlyList<TrackedLink>> ListByApplicationAsync(Guid applicationId, CancellationToken cancellationToken) =>
        await db.Links.Where(l => l.ApplicationId == applicationId).ToListAsync(cancellationToken);

    /// <summary>A page of links; bounded by <c>Database:QueryTimeout</c> like the analytics reads.</summary>
    public Task<(IReadOnlyList<TrackedLink> Items, int Total)> ListAsync(LinkFilter filter, int page, int pageSize, CancellationToken cancellationToken) =>
        reads.RunAsync(ct => ListPageAsync(filter, page, pageSize, ct), cancellationToken);

    private async Task<(IReadOnlyList<TrackedLink> Items, int Total)> ListPageAsync(LinkFilter filter, int page, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = db.Links.AsNoTracking();
        if (filter.JobId is { } jobId)
        {
            query = query.Where(l => l.JobId == jobId);
        }

        if (filter.ApplicationId is { } applicationId)
        {
            query = query.Where(l => l.ApplicationId == applicationId);
        }

        if (filter.LinkFunction is { } function)
        {
            query = query.Where(l => l.LinkFunction == function);
        }

        if (filter.IsActive is { } active)
        {
            query = query.Where(l => l.IsActive == active);
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query
            .OrderByDescending(l => l.CreatedAt)
            .ThenByDescending(l => l.Id)
            .Skip((page - 1) * pageSize)
            .Take(pageSize)
            .ToListAsync(cancellationToken);
        return (items, total);
    }

    public void Add(TrackedLink link) => db.Links.Add(link);
}
