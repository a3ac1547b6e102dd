using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.ApiKeys;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Infrastructure.Persistence.Repositories;

public sealed class DashboardSessionStore(LinkTrackingDbContext db) : IDashboardSessionStore
{
    public Task<DashboardSession?> FindAsync(string id, CancellationToken cancellationToken) =>
        db.DashboardSessions.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);

    public void Add(DashboardSession session) => db.DashboardSessions.Add(session);

    public Task EndAsync(string id, CancellationToken cancellationToken) =>
        db.DashboardSessions.Where(s => s.Id == id).ExecuteDeleteAsync(cancellationToken);

    public Task<int> EndAllOfKeyAsync(Guid apiKeyId, CancellationToken cancellationToken) =>
        db.DashboardSessions.Where(s => s.ApiKeyId == apiKeyId).ExecuteDeleteAsync(cancellationToken);

    public Task<int> DeleteEndedAsync(DateTime now, CancellationToken cancellationToken) =>
        db.DashboardSessions.Where(s => s.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
}
