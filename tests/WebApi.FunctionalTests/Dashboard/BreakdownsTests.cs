using LinkTracking.WebApi.Dashboard;

namespace LinkTracking.WebApi.FunctionalTests.Dashboard;

/// <summary>The dashboard finds a result's breakdowns by their type, so new ones show without a page change.</summary>
public sealed class BreakdownsTests
{
    private sealed record FutureResult(
        int TotalClicks,
        IReadOnlyDictionary<string, int> ClicksBySource,
        IReadOnlyDictionary<string, int> Countries,
        IReadOnlyList<int> Hours,
        IReadOnlyList<int> Weekdays,
        IReadOnlyList<int> SomethingElse,
        string Name);

    private static readonly FutureResult Result = new(
        5,
        new Dictionary<string, int> { ["email"] = 1, ["linkedin"] = 4 },
        new Dictionary<string, int> { ["DE"] = 2, ["FR"] = 2, ["AT"] = 1 },
        [.. Enumerable.Range(0, 24)],
        [1, 2, 3, 4, 5, 6, 7],
        [1, 2, 3],
        "ignored");

    [Test]
    public void NameCounts_AreEveryCountDictionary_MostFirstThenByName()
    {
        var sections = Breakdowns.NameCountsOf(Result);

        Assert.That(sections.Select(s => s.Title), Is.EqualTo(new[] { "Clicks by source", "Countries" }));
        Assert.That(sections[1].Counts.Select(c => c.Key), Is.EqualTo(new[] { "DE", "FR", "AT" }));
        Assert.That(sections[0].Max, Is.EqualTo(4));
    }

    [Test]
    public void NameCounts_LeaveOutTheNamedProperties()
    {
        var sections = Breakdowns.NameCountsOf(Result, nameof(FutureResult.Countries));

        Assert.That(sections.Select(s => s.Title), Is.EqualTo(new[] { "Clicks by source" }));
    }

    [Test]
    public void Buckets_AreListsOf24Or7Counts_LabelledByHourOrWeekday()
    {
        var charts = Breakdowns.BucketsOf(Result);

        Assert.That(charts.Select(c => c.Title), Is.EqualTo(new[] { "Hours", "Weekdays" }));
        Assert.That(charts[0].Labels[0], Is.EqualTo("00"));
        Assert.That(charts[0].Labels[23], Is.EqualTo("23"));
        Assert.That(charts[1].Labels, Is.EqualTo(new[] { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" }));
        Assert.That(charts[1].Max, Is.EqualTo(7));
    }
}
