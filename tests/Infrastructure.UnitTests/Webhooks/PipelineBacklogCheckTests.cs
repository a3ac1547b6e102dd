using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Options;
using LinkTracking.Infrastructure.Webhooks;
using Moq;

namespace LinkTracking.Infrastructure.UnitTests.Webhooks;

/// <summary>When <c>alert.pipeline_backlog</c> is due, from a faked pipeline reading.</summary>
public sealed class PipelineBacklogCheckTests
{
    private static readonly WebhookAlertOptions Thresholds = new() { PipelineBacklogAge = TimeSpan.FromMinutes(5), PipelineBacklogBytes = 64_000_000 };

    [Test]
    public void AMoverLaggingBeyondTheThreshold_IsABacklog_WithItsFigures()
    {
        var pipeline = Pipeline(10_000, TimeSpan.FromMinutes(7));

        var data = PipelineBacklogCheck.Evaluate(pipeline.Object, Thresholds, "node-1");

        Assert.That(data, Is.Not.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(data!.Exceeded, Is.EqualTo(new[] { PipelineBacklogCheck.Age }));
            Assert.That(data.OldestUnmovedAgeSeconds, Is.EqualTo(420));
            Assert.That(data.SpoolBytes, Is.EqualTo(10_000));
            Assert.That(data.ThresholdAgeSeconds, Is.EqualTo(300));
            Assert.That(data.ThresholdSpoolBytes, Is.EqualTo(64_000_000));
            Assert.That(data.Node, Is.EqualTo("node-1"));
        }

        pipeline.Verify(p => p.Read(), Times.Once);
    }

    [Test]
    public void ASpoolOverTheThreshold_IsABacklog_AndBothAreNamedWhenBothAreExceeded()
    {
        var bytesOnly = PipelineBacklogCheck.Evaluate(Pipeline(64_000_001, TimeSpan.FromSeconds(10)).Object, Thresholds, "n");
        var both = PipelineBacklogCheck.Evaluate(Pipeline(100_000_000, TimeSpan.FromHours(1)).Object, Thresholds, "n");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(bytesOnly?.Exceeded, Is.EqualTo(new[] { PipelineBacklogCheck.Bytes }));
            Assert.That(both?.Exceeded, Is.EquivalentTo(new[] { PipelineBacklogCheck.Age, PipelineBacklogCheck.Bytes }));
        }
    }

    [Test]
    public void APipelineAtOrBelowBothThresholds_IsNoBacklog()
    {
        Assert.That(PipelineBacklogCheck.Evaluate(Pipeline(64_000_000, TimeSpan.FromMinutes(5)).Object, Thresholds, "n"), Is.Null);
    }

    [Test]
    public void AThresholdOfZero_IsNotChecked()
    {
        var off = new WebhookAlertOptions { PipelineBacklogAge = TimeSpan.Zero, PipelineBacklogBytes = 0 };

        Assert.That(PipelineBacklogCheck.Evaluate(Pipeline(long.MaxValue, TimeSpan.FromDays(3)).Object, off, "n"), Is.Null);
    }

    private static Mock<IClickPipelineBacklog> Pipeline(long bytes, TimeSpan age)
    {
        var pipeline = new Mock<IClickPipelineBacklog>();
        pipeline.Setup(p => p.Read()).Returns(new ClickPipelineBacklog(bytes, age));
        return pipeline;
    }
}
