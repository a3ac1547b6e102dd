namespace LinkTracking.Tests.Shared;

/// <summary>The checkout the tests run from: the nearest folder above the test binaries that holds LinkTracking.sln.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "LinkTracking.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Repository root (LinkTracking.sln) not found above " + AppContext.BaseDirectory);
    }
}
