using System.Diagnostics;
using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LinkTracking.Infrastructure.Outcomes;

/// <summary>
/// PostgreSQL: the funnel of all applications (the report's) from the counts kept by
/// <see cref="PostgresApplicationFunnel"/>, refreshed first so that the read sees every change committed before it;
/// a job's or an application's funnel, a few links, is read directly (<see cref="OutcomeFunnelQueries"/>).
/// </summary>
public sealed class PostgresOutcomeFunnelQueries(
    OutcomeFunnelQueries direct, PostgresApplicationFunnel funnel, LinkTrackingDbContext db, BoundedReads reads) : IOutcomeFunnelQueries
{
    public async Task<OutcomeFunnelFacts> GetAsync(LinkScope scope, DateTime? sentFrom, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (scope.TrackingId is not null || scope.JobId is not null || scope.ApplicationId is not null)
        {
            return await direct.GetAsync(scope, sentFrom, cancellationToken);
        }

        // Before the read's own transaction: its snapshot must include what the refresh commits.
        var started = Stopwatch.GetTimestamp();
        try
        {
            await funnel.RefreshAsync(wait: true, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && DatabaseTimeouts.IsTimeout(e))
        {
            throw new DatabaseTimeoutException(Stopwatch.GetElapsedTime(started), e);
        }

        return await reads.RunAsync(
            async ct =>
            {
                await db.Database.OpenConnectionAsync(ct);
                try
                {
                    return await PostgresApplicationFunnel.ReadAsync((NpgsqlConnection)db.Database.GetDbConnection(), sentFrom, ct);
                }
                finally
                {
                    await db.Database.CloseConnectionAsync();
                }
            },
            cancellationToken);
    }
}
