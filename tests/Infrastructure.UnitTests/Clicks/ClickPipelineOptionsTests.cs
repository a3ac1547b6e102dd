using LinkTracking.Infrastructure.Clicks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.UnitTests.Clicks;

/// <summary>A <c>ClickPipeline</c> section the pipeline cannot run with stops start-up with a message naming the key.</summary>
public sealed class ClickPipelineOptionsTests
{
    [Test]
    public void TheDefaults_AreValid() =>
        Assert.That(new ClickPipelineOptionsValidator().Validate(null, new ClickPipelineOptions()).Succeeded, Is.True);

    [TestCase("ReplayBatchSize", "0")]
    [TestCase("MaxBatchSize", "0")]
    [TestCase("Writers", "0")]
    [TestCase("ChannelCapacity", "-1")]
    [TestCase("MoveInterval", "00:00:00")]
    [TestCase("ReplayInterval", "-00:00:01")]
    [TestCase("WriteTimeout", "00:00:00")]
    [TestCase("MaxSpoolBytes", "-5")]
    [TestCase("SpoolDirectory", " ")]
    public void StartingTheHost_WithAnUnusableSetting_FailsNamingIt(string key, string value)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ClickPipeline:{key}"] = value,
            ["ClickPipeline:SpoolDirectory"] = key == "SpoolDirectory" ? value : Path.Combine(Path.GetTempPath(), $"spool-{Guid.NewGuid():N}"),
            ["ConnectionStrings:LinkTracking"] = "Data Source=:memory:",
        });
        builder.Services.AddInfrastructure(builder.Configuration);
        using var host = builder.Build();

        var error = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(error!.Message, Does.Contain($"ClickPipeline:{key}"));
    }
}
