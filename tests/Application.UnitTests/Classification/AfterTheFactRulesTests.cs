using LinkTracking.Application.Clicks.Classification;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Application.UnitTests.Classification;

public sealed class AfterTheFactRulesTests
{
    private static readonly DateTime Delivery = new(2025, 7, 27, 9, 0, 0, DateTimeKind.Utc);
    private static readonly ClickClassificationOptions Defaults = new();

    [Test]
    public void Find_WhenOneOriginFetchesFiveLinksWithinTwoSeconds_MarksEveryOneABurst()
    {
        var clicks = Enumerable.Range(0, 5).Select(i => Click($"lt_link000000{i}", Delivery.AddMilliseconds(400 * i))).ToList();

        var found = AfterTheFactRules.Find(clicks, Defaults);

        Assert.That(found, Is.EquivalentTo(clicks.Select(c => (c.Id, ClickSignals.Burst))));
    }

    [Test]
    public void Find_WhenAPersonClicksTwoLinksMinutesApart_FindsNothing()
    {
        var clicks = new[] { Click("lt_link0000000", Delivery), Click("lt_link0000001", Delivery.AddMinutes(3)), Click("lt_link0000002", Delivery.AddMinutes(9)) };

        Assert.That(AfterTheFactRules.Find(clicks, Defaults), Is.Empty);
    }

    [Test]
    public void Find_WhenTheSameLinkIsFetchedManyTimesQuickly_IsNoBurst_ForABurstSpansDistinctLinks()
    {
        var clicks = Enumerable.Range(0, 6).Select(i => Click("lt_link0000000", Delivery.AddMilliseconds(100 * i))).ToList();

        Assert.That(AfterTheFactRules.Find(clicks, Defaults), Is.Empty);
    }

    [Test]
    public void Find_MarksOnlyTheClicksInsideTheBurst_NotALaterClickByAPerson()
    {
        var burst = Enumerable.Range(0, 3).Select(i => Click($"lt_link000000{i}", Delivery.AddSeconds(i))).ToList();
        var later = Click("lt_link0000000", Delivery.AddMinutes(10));

        var found = AfterTheFactRules.Find([.. burst, later], Defaults);

        Assert.That(found.Select(f => f.Id), Is.EquivalentTo(burst.Select(c => c.Id)));
    }

    [Test]
    public void Find_WhenTheOriginHitsTheDecoy_MarksItsClicksWithinTheWindowBeforeAndAfter()
    {
        var before = Click("lt_link0000000", Delivery.AddMinutes(-20));
        var decoy = Click("lt_decoy000000", Delivery, onDecoy: true);
        var after = Click("lt_link0000001", Delivery.AddMinutes(25));
        var outside = Click("lt_link0000002", Delivery.AddHours(2));

        var found = AfterTheFactRules.Find([before, decoy, after, outside], Defaults);

        Assert.That(found, Is.EquivalentTo(new[] { (before.Id, ClickSignals.Decoy), (decoy.Id, ClickSignals.Decoy), (after.Id, ClickSignals.Decoy) }));
    }

    [Test]
    public void Find_WithTheRulesTurnedOff_FindsNothing()
    {
        var clicks = Enumerable.Range(0, 5).Select(i => Click($"lt_link000000{i}", Delivery.AddMilliseconds(10 * i), onDecoy: i == 0)).ToList();

        var found = AfterTheFactRules.Find(clicks, new ClickClassificationOptions { BurstRule = false, DecoyRule = false });

        Assert.That(found, Is.Empty);
    }

    private static OriginClick Click(string trackingId, DateTime at, bool onDecoy = false) => new(Guid.NewGuid(), trackingId, at, onDecoy);
}
