using System.ComponentModel.DataAnnotations;
using LinkTracking.Application.Common.Options;
using Microsoft.Extensions.Options;

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

    [EnumDataType(typeof(DatabaseProvider), ErrorMessage = "Database:Provider is Sqlite or Postgres.")]
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply migrations at start-up (default). Turn off only when a deployment step migrates instead.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>
    /// The longest an analytics or list read may take (<see cref="BoundedReads"/>): its command timeout, on PostgreSQL its
    /// server-side <c>statement_timeout</c>, and a deadline on the whole read. Past it the request answers 503.
    /// </summary>
    [PositiveDuration(ErrorMessage = "Database:QueryTimeout must be longer than zero and at most {2}.")]
    public TimeSpan QueryTimeout { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>Checks <see cref="DatabaseOptions"/> at start-up (source-generated from the data annotations).</summary>
[OptionsValidator]
public sealed partial class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>;
