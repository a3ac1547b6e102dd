namespace LinkTracking.Infrastructure.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Configuration section <c>Database</c>; the connection string is <c>ConnectionStrings:LinkTracking</c>.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";
    public const string ConnectionStringName = "LinkTracking";
    public const string DefaultSqliteConnectionString = "Data Source=./data/linktracking.db";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply migrations at start-up (default). Turn off only when a deployment step migrates instead.</summary>
    public bool MigrateOnStartup { get; set; } = true;
}
