using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Outcomes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LinkTracking.Infrastructure.Persistence.Repositories;

public sealed class ApplicationOutcomeRepository(LinkTrackingDbContext db) : IApplicationOutcomeRepository
{
    private const string PostgresUniqueViolation = "23505";
    private const int SqliteConstraintUnique = 2067;

    public async Task<ApplicationOutcome?> FindAsync(Guid applicationId, Guid id, CancellationToken cancellationToken) =>
        await db.ApplicationOutcomes.FirstOrDefaultAsync(o => o.Id == id && o.ApplicationId == applicationId, cancellationToken);

    public async Task<ApplicationOutcome?> FindByEventIdAsync(Guid applicationId, string eventId, CancellationToken cancellationToken) =>
        await db.ApplicationOutcomes.AsNoTracking()
            .FirstOrDefaultAsync(o => o.ApplicationId == applicationId && o.EventId == eventId, cancellationToken);

    public async Task<IReadOnlyList<ApplicationOutcome>> ListAsync(Guid applicationId, int limit, CancellationToken cancellationToken) =>
        await db.ApplicationOutcomes.AsNoTracking()
            .Where(o => o.ApplicationId == applicationId)
            .OrderBy(o => o.OccurredAt)
            .ThenBy(o => o.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);

    public void Add(ApplicationOutcome outcome) => db.ApplicationOutcomes.Add(outcome);

    public void Remove(ApplicationOutcome outcome) => db.ApplicationOutcomes.Remove(outcome);

    public bool IsDuplicateEventId(Exception exception) =>
        exception is DbUpdateException { InnerException: PostgresException { SqlState: PostgresUniqueViolation } or SqliteException { SqliteExtendedErrorCode: SqliteConstraintUnique } };
}
