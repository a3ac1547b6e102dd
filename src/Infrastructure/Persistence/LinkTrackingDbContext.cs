using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.ApiKeys;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using LinkTracking.Domain.Webhooks;
using LinkTracking.Infrastructure.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Infrastructure.Persistence;

/// <summary>
/// The database of the service. Each provider has a subclass with its own column types and its own migrations
/// (<see cref="SqliteLinkTrackingDbContext"/>, <see cref="PostgresLinkTrackingDbContext"/>; ADR 0004).
/// </summary>
public abstract class LinkTrackingDbContext(DbContextOptions options) : DbContext(options), IUnitOfWork
{
    public DbSet<TrackedLink> Links => Set<TrackedLink>();

    public DbSet<LinkClick> Clicks => Set<LinkClick>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<DashboardSession> DashboardSessions => Set<DashboardSession>();

    public DbSet<Analytics.Rollups.ClickRollup> ClickRollups => Set<Analytics.Rollups.ClickRollup>();

    public DbSet<Analytics.Rollups.ClickScopeRollup> ClickScopeRollups => Set<Analytics.Rollups.ClickScopeRollup>();

    public DbSet<Analytics.Rollups.ClickDailyRollup> ClickDailyRollups => Set<Analytics.Rollups.ClickDailyRollup>();

    public DbSet<Analytics.Rollups.ClickMonthlyRollup> ClickMonthlyRollups => Set<Analytics.Rollups.ClickMonthlyRollup>();

    public DbSet<Analytics.Rollups.ClickLinkTotal> ClickLinkTotals => Set<Analytics.Rollups.ClickLinkTotal>();

    public DbSet<Domain.Outcomes.ApplicationOutcome> ApplicationOutcomes => Set<Domain.Outcomes.ApplicationOutcome>();

    public DbSet<LinkChange> LinkChanges => Set<LinkChange>();

    public DbSet<OriginRule> OriginRules => Set<OriginRule>();

    public DbSet<OrphanVisit> OrphanVisits => Set<OrphanVisit>();

    public DbSet<WebhookSubscription> WebhookSubscriptions => Set<WebhookSubscription>();

    public DbSet<WebhookOutboxMessage> WebhookOutbox => Set<WebhookOutboxMessage>();

    public DbSet<WebhookDeliveryAttempt> WebhookDeliveries => Set<WebhookDeliveryAttempt>();

    public DbSet<WebhookCursor> WebhookCursors => Set<WebhookCursor>();

    public DbSet<WebhookFirstHumanClick> WebhookFirstHumanClicks => Set<WebhookFirstHumanClick>();

    public DbSet<WebhookAlertEpisode> WebhookAlertEpisodes => Set<WebhookAlertEpisode>();

    public DbSet<Streaming.ClickStreamCursor> ClickStreamCursors => Set<Streaming.ClickStreamCursor>();

    public DbSet<Streaming.ClickStreamOutboxMessage> ClickStreamOutbox => Set<Streaming.ClickStreamOutboxMessage>();

    async Task IUnitOfWork.SaveChangesAsync(CancellationToken cancellationToken) => await SaveChangesAsync(cancellationToken);

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(LinkTrackingDbContext).Assembly);
}
