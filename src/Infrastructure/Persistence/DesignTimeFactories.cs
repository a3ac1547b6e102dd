using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace LinkTracking.Infrastructure.Persistence;

/// <summary>Used by <c>dotnet ef migrations add … --context SqliteLinkTrackingDbContext</c>.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteLinkTrackingDbContext>
{
    public SqliteLinkTrackingDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteLinkTrackingDbContext>()
            .UseSqlite(DatabaseOptions.DefaultSqliteConnectionString)
            .UseSnakeCaseNamingConvention()
            .Options);
}

/// <summary>Used by <c>dotnet ef migrations add … --context PostgresLinkTrackingDbContext</c>; needs no server.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresLinkTrackingDbContext>
{
    public PostgresLinkTrackingDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresLinkTrackingDbContext>()
            .UseNpgsql("Host=localhost;Database=linktracking")
            .UseSnakeCaseNamingConvention()
            .Options);
}
