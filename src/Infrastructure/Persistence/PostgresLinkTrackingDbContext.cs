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
        });
    }
}
