using LinkTracking.Tests.Shared;

namespace LinkTracking.Infrastructure.IntegrationTests;

/// <summary>Each derived fixture runs on real SQLite and real PostgreSQL, on a fresh database, emptied before every test.</summary>
[TestFixture(TestProvider.Sqlite)]
[TestFixture(TestProvider.Postgres)]
public abstract class DatabaseFixture(TestProvider provider)
{
    protected TestProvider Provider { get; } = provider;

    protected TestDatabase Database { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task CreateDatabase() => Database = await TestDatabase.CreateAsync(Provider);

    [OneTimeTearDown]
    public async Task DropDatabase() => await Database.DisposeAsync();

    [SetUp]
    public Task Reset() => Database.ResetAsync();
}
