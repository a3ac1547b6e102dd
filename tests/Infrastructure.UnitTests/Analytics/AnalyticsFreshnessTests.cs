using LinkTracking.Infrastructure.Analytics;

namespace LinkTracking.Infrastructure.UnitTests.Analytics;

/// <summary>
/// When a read waits for the clicks before it to be counted: only when the worker can count them within
/// <c>Analytics:CatchUpLimit</c> (500 ms here) at its measured pace, taken as 5,000 clicks a second at the least,
/// after the round it is running now.
/// </summary>
public sealed class AnalyticsFreshnessTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMilliseconds(500);

    [TestCase(0, null, ExpectedResult = true)]
    [TestCase(1_000, null, ExpectedResult = true)] // a partner's batch, before any pace is known: 0.2 s
    [TestCase(1_000, 50.0, ExpectedResult = true)] // a cold worker's slow small rounds do not decide
    [TestCase(2_500, null, ExpectedResult = true)] // 0.5 s at the assumed pace: just within
    [TestCase(2_501, null, ExpectedResult = false)]
    [TestCase(10_000, 8_000.0, ExpectedResult = false)] // a redirect load's backlog: 1.25 s
    [TestCase(20_000, 50_000.0, ExpectedResult = true)] // a fast worker counts it in 0.4 s
    [TestCase(1_000_000, 10_000.0, ExpectedResult = false)] // a backfill's: 100 s
    public bool CountableWithin_TheLimit_AtTheWorkersPace(long clicks, double? pace) =>
        AnalyticsFreshness.CountableWithin(clicks, pace, TimeSpan.Zero, Limit);

    [TestCase(0, 0, ExpectedResult = true)]
    [TestCase(0, 600, ExpectedResult = false)] // a redirect load's round: a second's clicks, still running
    [TestCase(1_000, 250, ExpectedResult = true)] // 0.25 + 0.2 s
    [TestCase(1_000, 350, ExpectedResult = false)] // 0.35 + 0.2 s
    public bool CountableWithin_TheLimit_AfterTheRoundRunningNow(long clicks, int roundRemainingMs) =>
        AnalyticsFreshness.CountableWithin(clicks, null, TimeSpan.FromMilliseconds(roundRemainingMs), Limit);
}
