using LinkTracking.Domain.Common;

namespace LinkTracking.Domain.UnitTests.Common;

[TestFixture]
public sealed class ProportionTests
{
    // Newcombe (1998), Table I, method 3 (Wilson score without continuity correction).
    [TestCase(81, 263, 0.2553, 0.3662)]
    [TestCase(15, 148, 0.0624, 0.1605)]
    [TestCase(0, 20, 0.0000, 0.1611)]
    [TestCase(1, 29, 0.0061, 0.1718)]
    public void Wilson95_MatchesThePublishedIntervals(int successes, int trials, double low, double high)
    {
        var (actualLow, actualHigh) = new Proportion(successes, trials).Wilson95;

        Assert.Multiple(() =>
        {
            Assert.That(actualLow, Is.EqualTo(low).Within(0.00005));
            Assert.That(actualHigh, Is.EqualTo(high).Within(0.00005));
        });
    }

    [Test]
    public void AnEmptySample_HasRateZeroAndTheWholeInterval()
    {
        var empty = new Proportion(0, 0);

        Assert.Multiple(() =>
        {
            Assert.That(empty.Rate, Is.Zero);
            Assert.That(empty.Wilson95, Is.EqualTo((0d, 1d)));
        });
    }

    [Test]
    public void SmallSamples_DoNotDiffer_EvenWhenTheirRatesDo()
    {
        // 2 of 3 against 0 of 3 looks like 67 % against 0 %, but the intervals overlap.
        Assert.That(new Proportion(2, 3).DiffersFrom(new Proportion(0, 3)), Is.False);
    }

    [Test]
    public void LargeSamples_WithDistinctRates_Differ()
    {
        var opened = new Proportion(300, 1000);
        var notOpened = new Proportion(100, 1000);

        Assert.Multiple(() =>
        {
            Assert.That(opened.DiffersFrom(notOpened), Is.True);
            Assert.That(notOpened.DiffersFrom(opened), Is.True);
            Assert.That(opened.DiffersFrom(new Proportion(0, 0)), Is.False);
        });
    }

    [Test]
    public void SuccessesBeyondTheSample_AreRefused()
    {
        Assert.That(() => new Proportion(4, 3), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
