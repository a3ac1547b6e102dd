using LinkTracking.Application.Analytics.Common;
using LinkTracking.Application.Common.Interfaces;

namespace LinkTracking.Application.UnitTests.Analytics;

/// <summary><c>variant_outcomes</c> and a summary's <c>variants</c> against hand-computed values (Wilson 95 %, z = 1.95996).</summary>
public sealed class VariantOutcomesTests
{
    [Test]
    public void VariantOutcomesOf_ComparesEachVariantWithTheOtherVariantsOfItsFunctionPooled()
    {
        // Resume: a 30 of 40 interviews [0.5981, 0.8581]; b and c 2 of 40 each, pooled for a: 4 of 80 [0.0196, 0.1216].
        // For b: a and c pooled are 32 of 80 [0.2978, 0.5130] against b's [0.0138, 0.1650].
        var counts = new[]
        {
            new VariantOutcomeCounts("Resume", "c", new OutcomeCounts(40, 2, 2, 0)),
            new VariantOutcomeCounts("Resume", "a", new OutcomeCounts(40, 30, 30, 5)),
            new VariantOutcomeCounts("Resume", "b", new OutcomeCounts(40, 2, 2, 0)),
        };

        var outcomes = OutcomeFunnel.VariantOutcomesOf(counts);

        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Select(o => o.Variant), Is.EqualTo(new[] { "a", "b", "c" }));
            Assert.That(outcomes[0].Applications, Is.EqualTo(40));
            Assert.That(outcomes[0].InterviewRate, Is.EqualTo(0.75));
            Assert.That(outcomes[0].InterviewRateCi95, Is.EqualTo(new[] { 0.5981, 0.8581 }));
            Assert.That(outcomes[1].ReplyRateCi95, Is.EqualTo(new[] { 0.0138, 0.165 }));
            Assert.That(outcomes.Select(o => o.Significant), Is.All.True);
        });
    }

    [Test]
    public void VariantOutcomesOf_PoolsOnlyTheVariantsOfTheSameFunction()
    {
        // Resume a 30 of 40 [0.5981, 0.8581] against Resume b 28 of 40 [0.5446, 0.8242]: overlapping. Pooling Portfolio's
        // 2 of 40 in as well (30 of 80) would wrongly make a significant.
        var counts = new[]
        {
            new VariantOutcomeCounts("Resume", "a", new OutcomeCounts(40, 30, 30, 0)),
            new VariantOutcomeCounts("Resume", "b", new OutcomeCounts(40, 28, 28, 0)),
            new VariantOutcomeCounts("Portfolio", "a", new OutcomeCounts(40, 2, 2, 0)),
        };

        var outcomes = OutcomeFunnel.VariantOutcomesOf(counts);

        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Select(o => $"{o.LinkFunction} {o.Variant} {o.Significant}"), Is.EqualTo(new[] { "Portfolio a False", "Resume a False", "Resume b False" }));
        });
    }

    [Test]
    public void ForLinks_ListsEachLinkWithVariantsOrVariantClicks_ByTrackingId()
    {
        var links = new[]
        {
            new LinkVariantClicks("zzzzzz", null, [new VariantClicks("a", 3, 3, 2), new VariantClicks("b", 1, 1, 1)]),
            new LinkVariantClicks("aaaaaa", null, []),
        };

        var variants = VariantStatistics.ForLinks(links);

        Assert.Multiple(() =>
        {
            Assert.That(variants.Keys, Is.EqualTo(new[] { "zzzzzz" }), "a link without variants and clicks on one has no breakdown");
            Assert.That(variants["zzzzzz"]["a"].Rate, Is.EqualTo(0.75));
            Assert.That(variants["zzzzzz"]["a"].ExpectedRate, Is.Null);
        });
    }
}
