using System.Net;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.Analytics;
using LinkTracking.Infrastructure.Analytics.Rollups;
using LinkTracking.Infrastructure.Clicks;
using LinkTracking.Infrastructure.Persistence;
using LinkTracking.Infrastructure.Privacy;
using LinkTracking.Tests.Shared;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LinkTracking.Infrastructure.IntegrationTests;

/// <summary>Object mother for links and clicks.</summary>
public static class TestData
{
    public static readonly DateTime Now = new(2025, 7, 27, 15, 0, 0, DateTimeKind.Utc);

    /// <summary>Reads bounded by <paramref name="timeout"/> (default: the service's default) on this context.</summary>
    public static BoundedReads Reads(LinkTrackingDbContext db, TimeSpan? timeout = null) =>
        new(db, Options.Create(new DatabaseOptions { QueryTimeout = timeout ?? new DatabaseOptions().QueryTimeout }));

    public static TrackedLink Link(
        string function = "LinkedIn",
        Guid? jobId = null,
        Guid? applicationId = null,
        DateTime? createdAt = null,
        string url = "https://www.linkedin.com/in/someone") =>
        TrackedLink.Create(TrackingId.NewId(), TargetUrl.Create(url), function, null, jobId, applicationId, null, null, createdAt ?? Now);

    public static LinkClick Click(
        TrackedLink link,
        DateTime? at = null,
        string? session = null,
        string? ip = null,
        string source = ClickSource.Direct,
        string? eventId = null,
        ClickClassification? classification = null,
        string? metadata = null,
        string? userAgent = null,
        ClickEnrichment? enrichment = null,
        string? variant = null) =>
        LinkClick.Record(new ClickDetails(
            link.TrackingId,
            at ?? Now,
            ip is null ? null : IPAddress.Parse(ip),
            userAgent,
            null,
            session,
            source,
            metadata,
            eventId,
            classification) { Enrichment = enrichment, Variant = variant });

    /// <summary>Every click of a spool segment, read with the mover's streaming reader.</summary>
    public static List<LinkClick> ReadSegment(string path, out bool torn)
    {
        using var reader = ClickSpool.OpenSegment(path);
        var clicks = new List<LinkClick>();
        while (reader.ReadChunk(clicks, 1000) > 0)
        {
        }

        torn = reader.Torn;
        return clicks;
    }

    public static async Task SaveLinksAsync(TestDatabase database, params TrackedLink[] links)
    {
        await using var db = database.CreateContext();
        db.Links.AddRange(links);
        await db.SaveChangesAsync();
    }

    /// <summary>The provider's batch writer, without the rollup worker: clicks are stored, not yet counted.</summary>
    public static IClickBatchWriter RawWriter(TestDatabase database) => database.Provider == TestProvider.Postgres
        ? new PostgresClickBatchWriter(NpgsqlDataSource.Create(database.ConnectionString))
        : new SqliteClickBatchWriter(database.ConnectionString);

    /// <summary>The provider's batch writer followed by a round of the rollup worker, as the service does a moment later.</summary>
    public static IClickBatchWriter Writer(TestDatabase database) => new RollingUpWriter(RawWriter(database), database);

    /// <summary>One round of the rollup worker: counts every click committed so far.</summary>
    public static async Task<RollupRound?> RollUpAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        await db.Database.OpenConnectionAsync();
        return await Rollups(database).RollUpAsync(db.Database.GetDbConnection(), TimeProvider.System, null, CancellationToken.None);
    }

    /// <summary>The analytics queries over a context, with the provider's distinct counts.</summary>
    public static LinkAnalyticsQueries AnalyticsQueries(LinkTrackingDbContext db) => new(db, Reads(db), DistinctKeys(db));

    public static IDistinctKeys DistinctKeys(LinkTrackingDbContext db) =>
        db is PostgresLinkTrackingDbContext ? new PostgresDistinctKeys(db) : new SqliteDistinctKeys(db);

    /// <summary>The service's writer: the provider's batch writer, then bursts and decoys reclassified around the clicks.</summary>
    public static ReclassifyingTestWriter ReclassifyingWriter(TestDatabase database, ClickClassificationOptions? options = null) =>
        ReclassifyingWriter(database, Writer(database), options);

    /// <summary>Bursts and decoys reclassified around the clicks <paramref name="inner"/> writes.</summary>
    public static ReclassifyingTestWriter ReclassifyingWriter(TestDatabase database, IClickBatchWriter inner, ClickClassificationOptions? options = null)
    {
        var services = new ServiceCollection();
        services.AddScoped<LinkTrackingDbContext>(_ => database.CreateContext());
        var provider = services.BuildServiceProvider();
        var reclassifier = new ClickReclassifier(
            provider.GetRequiredService<IServiceScopeFactory>(), Options.Create(options ?? new ClickClassificationOptions()), Rollups(database), EarnedSignals(database));
        return new ReclassifyingTestWriter(inner, reclassifier);
    }

    /// <summary>The burst and decoy rules of the database's provider.</summary>
    public static IEarnedSignals EarnedSignals(TestDatabase database) => database.Provider == TestProvider.Postgres
        ? new PostgresEarnedSignals()
        : new PortableEarnedSignals();

    /// <summary>The rollup SQL of the database's provider.</summary>
    public static IClickRollupStore Rollups(TestDatabase database) => database.Provider == TestProvider.Postgres
        ? new PostgresClickRollupStore()
        : new SqliteClickRollupStore();

    /// <summary>The IP anonymiser of the database's provider, on <paramref name="db"/>.</summary>
    public static IIpAnonymiser IpAnonymiser(LinkTrackingDbContext db, TestDatabase database) => database.Provider == TestProvider.Postgres
        ? new PostgresIpAnonymiser(db, Rollups(database))
        : new SqliteIpAnonymiser(db, Rollups(database));

    public static async Task SaveClicksAsync(TestDatabase database, params LinkClick[] clicks) =>
        await Writer(database).WriteAsync(clicks, CancellationToken.None);

    public static async Task<int> CountClicksAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        return db.Clicks.Count();
    }

    public static void ClearPools()
    {
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
    }

    public static LinkTrackingDbContext Context(TestDatabase database) => database.CreateContext();
}

/// <summary>Writes, then counts what it wrote (a round of the rollup worker).</summary>
public sealed class RollingUpWriter(IClickBatchWriter inner, TestDatabase database) : IClickBatchWriter
{
    public async Task WriteAsync(IReadOnlyList<LinkClick> clicks, CancellationToken cancellationToken)
    {
        await inner.WriteAsync(clicks, cancellationToken);
        await TestData.RollUpAsync(database);
    }
}

/// <summary>Writes, then reclassifies around what it wrote, as the rollup worker does before it counts a window.</summary>
public sealed class ReclassifyingTestWriter(IClickBatchWriter inner, ClickReclassifier reclassifier) : IClickBatchWriter
{
    public async Task WriteAsync(IReadOnlyList<LinkClick> clicks, CancellationToken cancellationToken)
    {
        await inner.WriteAsync(clicks, cancellationToken);
        await reclassifier.ReclassifyAroundAsync(clicks, cancellationToken);
    }
}
