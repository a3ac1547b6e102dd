using System.Net;
using LinkTracking.Domain.Clicks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace LinkTracking.Infrastructure.Persistence;

/// <summary>SQLite: the embedded default. Addresses as text, times as UTC text.</summary>
public sealed class SqliteLinkTrackingDbContext(DbContextOptions<SqliteLinkTrackingDbContext> options) : LinkTrackingDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<LinkClick>().Property(c => c.IpAddress)
            .HasConversion(new ValueConverter<IPAddress?, string?>(ip => ip == null ? null : ip.ToString(), s => s == null ? null : IPAddress.Parse(s)))
            .HasMaxLength(45);
        modelBuilder.Entity<Analytics.Rollups.ClickUnique>(Configurations.ClickUniqueConfiguration.Configure);
    }

    /// <summary>SQLite keeps no time zone: values are stored as UTC and read back as UTC.</summary>
    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
