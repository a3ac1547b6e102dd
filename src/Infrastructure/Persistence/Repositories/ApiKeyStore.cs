using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.ApiKeys;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Infrastructure.Persistence.Repositories;

public sealed class ApiKeyStore(LinkTrackingDbContext db) : IApiKeyStore
{
    public Task<ApiKey?> FindByHashAsync(string keyHash, CancellationToken cancellationToken) =>
        db.ApiKeys.FirstOrDefaultAsync(k => k.KeyHash == keyHash, cancellationToken);

    public Task<ApiKey?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, cancellationToken);

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken) =>
        await db.ApiKeys.AsNoTracking().OrderBy(k => k.CreatedAt).ToListAsync(cancellationToken);

    public void Add(ApiKey apiKey) => db.ApiKeys.Add(apiKey);
}
