using LinkTracking.Infrastructure.FileSystem;

namespace LinkTracking.Infrastructure.IntegrationTests.FileSystem;

/// <summary>The real <see cref="DirectorySync"/> on the real disk (issue 25, item 4).</summary>
public sealed class DirectorySyncTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("dirsync-test-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void Sync_OnARealDirectory_Succeeds()
    {
        File.WriteAllText(Path.Combine(_directory, "segment"), "x");

        Assert.That(() => DirectorySync.Instance.Sync(_directory), Throws.Nothing);
    }

    [Test]
    [Platform(Exclude = "Win")]
    public void Sync_OnAMissingDirectory_Throws_SoAFailureIsNeverSilent()
    {
        var missing = Path.Combine(_directory, "missing");

        Assert.That(() => DirectorySync.Instance.Sync(missing), Throws.InstanceOf<IOException>().With.Message.Contains(missing));
    }

    [Test]
    [Platform(Include = "Linux")]
    public void Sync_OnAFile_Throws_BecauseItOpensDirectoriesOnly()
    {
        var file = Path.Combine(_directory, "segment");
        File.WriteAllText(file, "x");

        Assert.That(() => DirectorySync.Instance.Sync(file), Throws.InstanceOf<IOException>());
    }

    [Test]
    public void CreateDirectory_SyncsTheParentOfEachDirectoryItCreates_DeepestFirst()
    {
        var calls = new List<string>();
        var sync = new CallbackSync(calls.Add);
        var deep = Path.Combine(_directory, "a", "b");

        sync.CreateDirectory(deep);
        sync.CreateDirectory(deep);

        Assert.That(Directory.Exists(deep), Is.True);
        Assert.That(calls, Is.EqualTo(new[] { Path.Combine(_directory, "a"), _directory }));
    }

    private sealed class CallbackSync(Action<string> onSync) : IDirectorySync
    {
        public void Sync(string directory) => onSync(directory);
    }
}
