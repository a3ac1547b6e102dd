using System.Net;
using LinkTracking.Application.Clicks.Classification;
using LinkTracking.Domain.Clicks;
using LinkTracking.Infrastructure.Classification;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LinkTracking.Infrastructure.UnitTests.Classification;

public sealed class DependencyInjectionTests
{
    [Test]
    public void AddClickClassification_BindsTheSectionAndResolvesOneClassifier()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ClickClassification:ScannerAgents:0"] = "AcmeMailGuard",
                ["ClickClassification:HumanCidrs:0"] = "66.159.228.0/24",
            })
            .Build();
        using var provider = new ServiceCollection().AddClickClassification(configuration).BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var classifier = provider.GetRequiredService<IClickClassifier>();
        var configured = classifier.Classify(Clicks.Person(Clicks.Chrome + " AcmeMailGuard/1.0"));
        var proofpointDeclaredHuman = classifier.Classify(Clicks.Person(Clicks.Chrome, IPAddress.Parse("66.159.228.10")));

        Assert.That(provider.GetRequiredService<IClickClassifier>(), Is.SameAs(classifier));
        Assert.That(provider.GetRequiredService<INetworkLookup>(), Is.InstanceOf<NetworkLookup>());
        Assert.That(configured.Reason, Is.EqualTo(ClickSignals.Configured));
        Assert.That(proofpointDeclaredHuman.Category, Is.EqualTo(BotCategory.Human));
    }

    [Test]
    public void AddClickClassification_LoadsTheDataWhenTheHostStarts()
    {
        using var provider = new ServiceCollection().AddClickClassification(new ConfigurationBuilder().Build()).BuildServiceProvider();

        var startups = provider.GetServices<IHostedService>().OfType<ClickClassificationStartup>().ToList();

        Assert.That(startups, Has.Count.EqualTo(1));
        Assert.DoesNotThrowAsync(() => startups[0].StartAsync(CancellationToken.None));
    }
}
