using LinkTracking.Domain.Clicks;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Infrastructure.Persistence;

/// <summary>PostgreSQL: the production database. <c>uuid</c>, <c>inet</c>, <c>jsonb</c>, <c>timestamptz</c>.</summary>
public sealed class PostgresLinkTrackingDbContext(DbContextOptions<PostgresLinkTrackingDbContext> options) : LinkTrackingDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<LinkClick>(click =>
        {
            click.Property(c => c.IpAddress).HasColumnType("inet");
            click.Property(c => c.Metadata).HasColumnType("jsonb");

            // link_clicks is range-partitioned by month on clicked_at (migration PartitionedRawClicks, ADR 0010): the
            // keys of a partitioned table must hold the partition column. A replay carries the same id and time, so
            // (id, clicked_at) still stores it once; a partner retry may bring another time, so event ids are made
            // unique by link_click_event_keys instead, and this index only serves look-ups.
            click.HasKey(c => new { c.Id, c.ClickedAt });
            click.HasIndex(c => new { c.TrackingId, c.EventId }).IsUnique(false);
            click.Property<long>(Configurations.LinkClickConfiguration.SeqColumn).HasDefaultValueSql("nextval('link_clicks_seq')");
        });

        modelBuilder.Entity<ClickEventKey>(key =>
        {
            key.ToTable(ClickEventKey.TableName);
            key.HasKey(k => k.Id);
            key.Property(k => k.Id).ValueGeneratedNever();
            key.HasIndex(k => k.ClickedAt);
        });
    }
}
