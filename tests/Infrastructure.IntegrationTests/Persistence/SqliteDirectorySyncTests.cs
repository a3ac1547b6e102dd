using LinkTracking.Infrastructure.FileSystem;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracking.Infrastructure.IntegrationTests.Persistence;

/// <summary>
/// Issue 25, item 4: the SQLite database file's name is made durable where it is created, so a power cut just after
/// start-up cannot lose the database with everything acknowledged into it.
/// </summary>
public sealed class SqliteDirectorySyncTests
{
    private string _root = null!;

    [SetUp]
    public void CreateDirectory() => _root = Directory.CreateTempSubdirectory("sqlite-sync-test-").FullName;

    [TearDown]
    public void DeleteDirectory()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Test]
    public async Task Start_WhenItCreatesTheDatabase_SyncsTheDataDirectoryOnceTheFileExists_AndItsParentForTheNewDirectory()
    {
        var data = Path.Combine(_root, "data");
        var sync = new RecordingDirectorySync();

        await InitialiseAsync(Path.Combine(data, "linktracking.db"), sync);

        Assert.That(sync.Calls, Has.Member((_root, "data")));
        Assert.That(sync.Calls, Has.Some.Matches<(string Directory, string Entries)>(c => c.Directory == data && c.Entries.Split(',').Contains("linktracking.db")));
    }

    [Test]
    public async Task Start_OnAnExistingDatabase_SyncsNothing()
    {
        var file = Path.Combine(_root, "linktracking.db");
        await InitialiseAsync(file, new RecordingDirectorySync());
        var sync = new RecordingDirectorySync();

        await InitialiseAsync(file, sync);

        Assert.That(sync.Calls, Is.Empty);
    }

    private static async Task InitialiseAsync(string file, IDirectorySync sync)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:LinkTracking"] = $"Data Source={file}",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System);
        services.AddInfrastructure(configuration);
        services.AddSingleton(sync);
        await using var provider = services.BuildServiceProvider();

        await provider.InitialiseDatabaseAsync();
    }

    private sealed class RecordingDirectorySync : IDirectorySync
    {
        public List<(string Directory, string Entries)> Calls { get; } = [];

        public void Sync(string directory) =>
            Calls.Add((directory, string.Join(',', Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal))));
    }
}
