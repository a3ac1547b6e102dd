using LinkTracking.Infrastructure.Analytics.Rollups;

namespace LinkTracking.Infrastructure.UnitTests.Analytics;

/// <summary>
/// The histogram change a write makes, from the key's stored rows: the latest presence moves, and a presence put
/// between two others shortens the gap of the one after it.
/// </summary>
public sealed class ClickKeyHistogramDeltaTests
{
    private const string Link = "lt_abcdefgh1234";
    private static readonly DateTime Noon = new(2025, 7, 27, 12, 0, 0, DateTimeKind.Utc);
    private static readonly Guid Job = Guid.Parse("5a5a5a5a-1111-4c4c-8d8d-000000000001");
    private static readonly Dictionary<string, LinkFacts> Links = new() { [Link] = new LinkFacts(Link, Job, null, "LinkedIn") };

    [Test]
    public void ALaterClick_MovesTheLatestPresence_AndCountsItsGap()
    {
        var stored = new[] { Row(Noon, human: 1) };

        var rows = Delta(stored, Change(Noon.AddHours(3), human: 1));

        Assert.That(Of(rows, "l:" + Link), Is.EquivalentTo(new[]
        {
            (Noon, DistinctScopes.LastSeen, -1, -1),
            (Noon.AddHours(3), DistinctScopes.LastSeen, 1, 1),
            (Noon.AddHours(3), 3, 1, 1),
        }));
    }

    [Test]
    public void AClickBetweenTwoPresences_SplitsTheGapOfTheNextOne()
    {
        var stored = new[] { Row(Noon, human: 1), Row(Noon.AddHours(10), human: 1) };

        var rows = Delta(stored, Change(Noon.AddHours(4), human: 1));

        Assert.That(Of(rows, "l:" + Link), Is.EquivalentTo(new[]
        {
            (Noon.AddHours(4), 4, 1, 1),
            (Noon.AddHours(10), 10, -1, -1),
            (Noon.AddHours(10), 6, 1, 1),
        }));
    }

    [Test]
    public void ABotClick_ChangesOnlyTheCountOverAllClicks_AndScopesWithoutGapsKeepOnlyTheLatest()
    {
        var stored = new[] { Row(Noon, human: 1) };

        var rows = Delta(stored, Change(Noon.AddHours(30), bot: 1));

        Assert.Multiple(() =>
        {
            Assert.That(Of(rows, "l:" + Link), Is.EquivalentTo(new[]
            {
                (Noon, DistinctScopes.LastSeen, 0, -1),
                (Noon.AddHours(30), DistinctScopes.LastSeen, 0, 1),
                (Noon.AddHours(30), DistinctScopes.MaxGap, 0, 1),
                (Noon.Date.AddDays(1), DistinctScopes.UtcDay, 0, 1),
            }));
            Assert.That(Of(rows, $"j:{Job}/LinkedIn"), Is.EquivalentTo(new[]
            {
                (Noon, DistinctScopes.LastSeen, 0, -1),
                (Noon.AddHours(30), DistinctScopes.LastSeen, 0, 1),
            }));
        });
    }

    [Test]
    public void AClickAfterMidnight_CountsTheKeyInTheNewUtcDay_ButOneLaterTheSameDayDoesNot()
    {
        var lateEvening = Noon.AddHours(10);
        var afterMidnight = Delta([Row(lateEvening, human: 1)], Change(lateEvening.AddHours(3), human: 1));
        var sameDay = Delta([Row(Noon, human: 1)], Change(lateEvening, human: 1));

        Assert.Multiple(() =>
        {
            Assert.That(Of(afterMidnight, "l:" + Link).Where(r => r.Gap == DistinctScopes.UtcDay), Is.EquivalentTo(new[]
            {
                (Noon.Date.AddDays(1), DistinctScopes.UtcDay, 1, 1),
            }), "01:00 is 3 hours after the last presence, which was before midnight");
            Assert.That(Of(sameDay, "l:" + Link).Where(r => r.Gap == DistinctScopes.UtcDay), Is.Empty, "the key was counted in that day at noon");
        });
    }

    [Test]
    public void ErasingTheOnlyClick_TakesTheKeyOutOfEveryScope()
    {
        var stored = new[] { Row(Noon, human: 1) };

        var rows = Delta(stored, Change(Noon, human: -1));

        Assert.Multiple(() =>
        {
            Assert.That(rows.Select(r => r.Scope).Distinct(), Is.EquivalentTo(new[] { "l:" + Link, "*", "*/LinkedIn", $"j:{Job}", $"j:{Job}/LinkedIn" }));
            Assert.That(rows.All(r => r.HumanKeys == -1 && r.AllKeys == -1), Is.True);
        });
    }

    private static IReadOnlyList<ClickKeyHistogram> Delta(UniqueRow[] stored, RollupChange change) =>
        ClickKeyHistogramDelta.Of(stored, [change], Links).Rows();

    private static IEnumerable<(DateTime Hour, int Gap, int Human, int All)> Of(IEnumerable<ClickKeyHistogram> rows, string scope) =>
        rows.Where(r => r.Scope == scope).Select(r => (r.Hour, r.Gap, r.HumanKeys, r.AllKeys));

    private static UniqueRow Row(DateTime hour, int human = 0, int bot = 0) => new(Link, hour, RollupDimensions.SessionKind, "s1", human, bot);

    private static RollupChange Change(DateTime hour, int human = 0, int bot = 0) => new(Link, hour, RollupDimensions.SessionKind, "s1", human, bot);
}
