using System.Reflection;
using System.Runtime.InteropServices;
using LinkTracking.Application.Common.Mapping;
using LinkTracking.Domain.Links;

namespace LinkTracking.Application.UnitTests;

/// <summary>Fails the build when a layer reaches the wrong way (see docs/STYLE.md, "The shape").</summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Domain = typeof(TrackedLink).Assembly;
    private static readonly Assembly Application = typeof(MappingProfile).Assembly;

    private static IEnumerable<TestCaseData> Layers()
    {
        yield return new TestCaseData(Domain).SetArgDisplayNames("Domain");
        yield return new TestCaseData(Application).SetArgDisplayNames("Application");
    }

    [TestCaseSource(nameof(Layers))]
    public void Layer_DoesNotReferenceInfrastructureOrWebApi(Assembly layer)
    {
        var references = ReferencedNames(layer);

        Assert.That(
            references.Where(n => n.StartsWith("LinkTracking.Infrastructure", StringComparison.Ordinal) || n.StartsWith("LinkTracking.WebApi", StringComparison.Ordinal)),
            Is.Empty);
    }

    [Test]
    public void Domain_ReferencesOnlyTheDotNetRuntime()
    {
        // Every assembly of the shared framework sits in the runtime directory; a NuGet package's does not.
        var runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory();

        var references = ReferencedNames(Domain);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(references, Does.Contain("System.Runtime"));
            Assert.That(references.Where(n => !IsRuntimeName(n) || !File.Exists(Path.Combine(runtimeDirectory, n + ".dll"))), Is.Empty);
        }
    }

    [Test]
    public void Application_DoesNotReferenceEntityFrameworkCore()
    {
        var references = ReferencedNames(Application);

        Assert.That(references.Where(n => n.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void Application_ReferencesTheDomain()
    {
        // Guards the tests above: they read real references, not an empty list.
        var references = ReferencedNames(Application);

        Assert.That(references, Does.Contain(Domain.GetName().Name));
    }

    private static string[] ReferencedNames(Assembly assembly) => [.. assembly.GetReferencedAssemblies().Select(a => a.Name!)];

    private static bool IsRuntimeName(string name) =>
        name is "netstandard" or "mscorlib"
        || name.StartsWith("System.", StringComparison.Ordinal)
        || name == "System"
        || name.StartsWith("Microsoft.", StringComparison.Ordinal);
}
