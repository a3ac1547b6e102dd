using System.Reflection;
using LinkTracking.Application;
using LinkTracking.Application.Common.Options;
using LinkTracking.Infrastructure;
using LinkTracking.Infrastructure.Persistence;
using LinkTracking.WebApi.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>
/// Architecture rule (issue 25, item 5): every options class of the service has a validator registered and is checked
/// at start-up, so no setting reaches a job unchecked. The services are composed as Program.cs composes them; the first
/// test proves the rule reads real classes (one per layer) before the others check them.
/// </summary>
public sealed class OptionsArchitectureTests
{
    private static readonly Assembly[] Layers =
    [
        typeof(LinkTrackingOptions).Assembly,
        typeof(DatabaseOptions).Assembly,
        typeof(LifecycleOptions).Assembly,
    ];

    private static readonly IServiceCollection Services = Composed();

    /// <summary>Every class of the service named <c>…Options</c> (static helpers aside).</summary>
    private static IEnumerable<Type> OptionsClasses() =>
        Layers.SelectMany(a => a.GetTypes())
            .Where(t => t is { IsClass: true, IsGenericType: false } && !(t.IsAbstract && t.IsSealed))
            .Where(t => t.Namespace?.StartsWith("LinkTracking.", StringComparison.Ordinal) == true && t.Name.EndsWith("Options", StringComparison.Ordinal))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);

    /// <summary>The classes validated as a member of another one (<c>[ValidateObjectMembers]</c>) rather than on their own.</summary>
    private static IEnumerable<Type> ValidatedAsMembers() =>
        OptionsClasses().SelectMany(t => t.GetProperties())
            .Where(p => p.GetCustomAttribute<ValidateObjectMembersAttribute>() is not null)
            .Select(p => p.PropertyType)
            .Concat(OptionsClasses().SelectMany(t => t.GetProperties())
                .Where(p => p.GetCustomAttribute<ValidateEnumeratedItemsAttribute>() is not null && p.PropertyType.IsGenericType)
                .Select(p => p.PropertyType.GetGenericArguments()[0]));

    /// <summary>The options classes that are bound to a configuration section.</summary>
    private static IEnumerable<Type> Bound() =>
        Services.Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IConfigureOptions<>))
            .Select(d => d.ServiceType.GetGenericArguments()[0])
            .Where(t => Layers.Contains(t.Assembly))
            .Distinct();

    [Test]
    public void TheRule_ReadsRealOptionsClasses_FromEveryLayer()
    {
        var found = OptionsClasses().ToList();

        Assert.That(found, Is.SupersetOf(new[] { typeof(OrphanVisitOptions), typeof(DatabaseOptions), typeof(LifecycleOptions) }));
        Assert.That(Bound(), Does.Contain(typeof(OrphanVisitOptions)));
        Assert.That(CheckedAtStartUp(typeof(OrphanVisitOptions)), Is.True, "the ValidateOnStart registrations are no longer recognised");
        Assert.That(CheckedAtStartUp(typeof(OptionsArchitectureTests)), Is.False);
    }

    [TestCaseSource(nameof(OptionsClasses))]
    public void AnOptionsClass_HasAValidatorRegistered(Type options)
    {
        var validatorType = typeof(IValidateOptions<>).MakeGenericType(options);

        var registered = Services.Any(d => d.ServiceType == validatorType);

        Assert.That(registered || ValidatedAsMembers().Contains(options), Is.True,
            $"{options.Name} has no IValidateOptions<{options.Name}>: add an [OptionsValidator] (data annotations naming the key) and register it with AddValidatedOptions, or validate it as a [ValidateObjectMembers] property of a validated class.");
    }

    [TestCaseSource(nameof(OptionsClasses))]
    public void AnOptionsClass_IsBoundAndCheckedAtStartUp_UnlessItIsAMember(Type options)
    {
        if (ValidatedAsMembers().Contains(options))
        {
            Assert.That(Bound(), Does.Not.Contain(options), $"{options.Name} is validated as a member; it is not bound on its own.");
            return;
        }

        var checkedAtStart = CheckedAtStartUp(options);

        Assert.Multiple(() =>
        {
            Assert.That(Bound(), Does.Contain(options), $"{options.Name} is not bound to a configuration section.");
            Assert.That(checkedAtStart, Is.True, $"{options.Name} is not checked at start-up (ValidateOnStart).");
        });
    }

    /// <summary>
    /// Whether <c>ValidateOnStart</c> was called for <paramref name="options"/>: it registers a configuration of the
    /// framework's internal StartupValidatorOptions whose factory closes over <c>IOptionsMonitor&lt;T&gt;</c>.
    /// </summary>
    private static bool CheckedAtStartUp(Type options)
    {
        var monitor = typeof(IOptionsMonitor<>).MakeGenericType(options);
        return Services.Any(d =>
            d.ServiceType.IsGenericType
            && d.ServiceType.GetGenericTypeDefinition() == typeof(IConfigureOptions<>)
            && d.ServiceType.GetGenericArguments()[0].Name == "StartupValidatorOptions"
            && d.ImplementationFactory?.Target?.GetType().GetGenericArguments().Contains(monitor) == true);
    }

    private static ServiceCollection Composed()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddApplication(configuration).AddInfrastructure(configuration).AddWebApi(configuration);
        return services;
    }
}
