using System.Net;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Common;
using LinkTracking.Domain.Links;

namespace LinkTracking.Domain.UnitTests.Clicks;

public sealed class LinkClickTests
{
    private static readonly TrackingId LinkA = TrackingId.Parse("lt_aaaaaaaaaaaa");
    private static readonly TrackingId LinkB = TrackingId.Parse("lt_bbbbbbbbbbbb");

    [Test]
    public void IdForEvent_ForTheSameLinkAndEvent_IsAlwaysTheSame()
    {
        var first = LinkClick.IdForEvent(LinkA, "evt-42");

        var second = LinkClick.IdForEvent(TrackingId.Parse("lt_aaaaaaaaaaaa"), "evt-42");

        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void IdForEvent_ForTheSameEventOnDifferentLinks_Differs()
    {
        var onA = LinkClick.IdForEvent(LinkA, "evt-42");

        var onB = LinkClick.IdForEvent(LinkB, "evt-42");

        Assert.That(onB, Is.Not.EqualTo(onA));
    }

    [Test]
    public void IdForEvent_ForDifferentEventsOnTheSameLink_Differs()
    {
        var first = LinkClick.IdForEvent(LinkA, "evt-42");

        var second = LinkClick.IdForEvent(LinkA, "evt-43");

        Assert.That(second, Is.Not.EqualTo(first));
    }

    [Test]
    public void IdForEvent_IsAVersion8RfcUuid()
    {
        var id = LinkClick.IdForEvent(LinkA, "evt-42");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(id.Version, Is.EqualTo(8));
            Assert.That(id.Variant, Is.EqualTo(0b1000).Or.EqualTo(0b1001).Or.EqualTo(0b1010).Or.EqualTo(0b1011));
        }
    }

    [Test]
    public void Record_WithAnEventId_TakesTheEventsIdSoARetryIsStoredOnce()
    {
        var first = new ClickDetailsBuilder().WithEventId("evt-42").Record();

        var retry = new ClickDetailsBuilder().WithEventId("evt-42").At(ClickDetailsBuilder.DefaultClickedAt.AddSeconds(30)).Record();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Id, Is.EqualTo(LinkClick.IdForEvent(first.TrackingId, "evt-42")));
            Assert.That(retry.Id, Is.EqualTo(first.Id));
        }
    }

    [Test]
    public void Record_FromAnIpv4MappedAddress_KeepsTheIpv4Address()
    {
        var click = new ClickDetailsBuilder().From(IPAddress.Parse("::ffff:203.0.113.7")).Record();

        Assert.That(click.IpAddress, Is.EqualTo(IPAddress.Parse("203.0.113.7")));
    }

    [Test]
    public void Record_WithoutAnEventId_GivesEveryClickItsOwnId()
    {
        var first = new ClickDetailsBuilder().Record();

        var second = new ClickDetailsBuilder().Record();

        Assert.That(second.Id, Is.Not.EqualTo(first.Id));
    }

    [Test]
    public void Record_KeepsEverythingKnownAboutTheClick()
    {
        var details = new ClickDetailsBuilder().With(d => d with { Metadata = "{\"utm_source\":\"mail\"}" }).WithEventId("evt-1").Build();

        var click = LinkClick.Record(details);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(click.TrackingId, Is.EqualTo(details.TrackingId));
            Assert.That(click.ClickedAt, Is.EqualTo(details.ClickedAt));
            Assert.That(click.IpAddress, Is.EqualTo(details.IpAddress));
            Assert.That(click.UserAgent, Is.EqualTo(details.UserAgent));
            Assert.That(click.ReferrerUrl, Is.EqualTo(details.ReferrerUrl));
            Assert.That(click.SessionId, Is.EqualTo(details.SessionId));
            Assert.That(click.ClickSource, Is.EqualTo(details.ClickSource));
            Assert.That(click.Metadata, Is.EqualTo(details.Metadata));
            Assert.That(click.EventId, Is.EqualTo("evt-1"));
        }
    }

    [Test]
    public void Record_ClassifiedAsABot_IsMarkedAsBot_WithItsMainSignalAsReason_AndEverySignalKept()
    {
        var click = new ClickDetailsBuilder()
            .ClassifiedAs(ClickClassification.Bot(BotCategory.Scanner, ClickSignals.ScannerNetwork, ClickSignals.SoonAfterSend))
            .Record();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(click.IsBot, Is.True);
            Assert.That(click.BotCategory, Is.EqualTo(BotCategory.Scanner));
            Assert.That(click.BotReason, Is.EqualTo("scanner_network"));
            Assert.That(click.Signals, Is.EqualTo("scanner_network,soon_after_send"));
            Assert.That(click.Classification.Signals, Is.EqualTo(new[] { "scanner_network", "soon_after_send" }));
        }
    }

    [Test]
    public void Record_Unclassified_IsHuman()
    {
        var click = new ClickDetailsBuilder().ClassifiedAs(null).Record();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(click.IsBot, Is.False);
            Assert.That(click.BotCategory, Is.EqualTo(BotCategory.Human));
            Assert.That(click.BotReason, Is.Null);
            Assert.That(click.Signals, Is.Null);
        }
    }

    [Test]
    public void Record_AHumanWithSignalsThatDidNotDecide_KeepsTheSignalsButHasNoBotReason()
    {
        var click = new ClickDetailsBuilder().ClassifiedAs(new ClickClassification(BotCategory.Human, [ClickSignals.DatacenterNetwork])).Record();

        Assert.That((click.IsBot, click.BotReason, click.Signals), Is.EqualTo((false, (string?)null, "datacenter_network")));
    }

    [Test]
    public void Reclassify_AClickThatLookedHuman_BecomesAScannerWithTheSignalAsReason_KeepingEarlierSignals()
    {
        var click = new ClickDetailsBuilder().ClassifiedAs(new ClickClassification(BotCategory.Human, [ClickSignals.DatacenterNetwork])).Record();

        var changed = click.Reclassify(BotCategory.Scanner, ClickSignals.Burst);

        Assert.That((changed, click.IsBot, click.BotCategory, click.BotReason, click.Signals),
            Is.EqualTo((true, true, BotCategory.Scanner, "burst", "burst,datacenter_network")));
    }

    [Test]
    public void Reclassify_ABot_KeepsItsCategoryAndReason_AndAddsTheSignal()
    {
        var click = new ClickDetailsBuilder().ClassifiedAs(ClickClassification.Bot(BotCategory.Preview, ClickSignals.AgentList)).Record();

        click.Reclassify(BotCategory.Scanner, ClickSignals.Decoy);

        Assert.That((click.BotCategory, click.BotReason, click.Signals), Is.EqualTo((BotCategory.Preview, "agent_list", "agent_list,decoy")));
    }

    [Test]
    public void Reclassify_Twice_ChangesNothingTheSecondTime()
    {
        var click = new ClickDetailsBuilder().Record();
        click.Reclassify(BotCategory.Scanner, ClickSignals.Burst);

        var changedAgain = click.Reclassify(BotCategory.Scanner, ClickSignals.Burst);

        Assert.That((changedAgain, click.Signals), Is.EqualTo((false, "burst")));
    }

    [TestCase(DateTimeKind.Local)]
    [TestCase(DateTimeKind.Unspecified)]
    public void Record_WhenTimeIsNotUtc_IsRejectedNamingClickedAt(DateTimeKind kind)
    {
        var builder = new ClickDetailsBuilder().At(DateTime.SpecifyKind(ClickDetailsBuilder.DefaultClickedAt, kind));

        var ex = Assert.Throws<DomainRuleException>(() => builder.Record());

        Assert.That(ex.Field, Is.EqualTo("clicked_at"));
    }

    private static IEnumerable<TestCaseData> OverLongFields()
    {
        yield return Field("user_agent", d => d with { UserAgent = new string('u', 1001) });
        yield return Field("referrer_url", d => d with { ReferrerUrl = "https://example.com/" + new string('r', 981) });
        yield return Field("session_id", d => d with { SessionId = new string('s', 101) });
        yield return Field("event_id", d => d with { EventId = new string('e', 101) });
        yield return Field("metadata", d => d with { Metadata = "{\"k\":\"" + new string('m', 8 * 1024) + "\"}" });
        yield return Field("click_source", d => d with { ClickSource = new string('c', 51) });
        yield return Field("bot_reason", d => d with { Classification = ClickClassification.Bot(BotCategory.Scanner, new string('b', 51)) });
        yield return Field("signals", d => d with { Classification = ClickClassification.Bot(BotCategory.Scanner, [.. Enumerable.Repeat(new string('s', 40), 5)]) });

        static TestCaseData Field(string name, Func<ClickDetails, ClickDetails> change) =>
            new TestCaseData(name, change).SetName($"Record_WhenFieldIsTooLong_IsRejectedNamingIt({name})");
    }

    [TestCaseSource(nameof(OverLongFields))]
    public void Record_WhenFieldIsTooLong_IsRejectedNamingIt(string field, Func<ClickDetails, ClickDetails> change)
    {
        var builder = new ClickDetailsBuilder().With(change);

        var ex = Assert.Throws<DomainRuleException>(() => builder.Record());

        Assert.That(ex.Field, Is.EqualTo(field));
    }

    [Test]
    public void Record_WhenEveryFieldIsAtItsLimit_IsAccepted()
    {
        var builder = new ClickDetailsBuilder().With(d => d with
        {
            UserAgent = new string('u', 1000),
            ReferrerUrl = new string('r', 1000),
            SessionId = new string('s', 100),
            EventId = new string('e', 100),
            Metadata = new string('m', 8 * 1024),
            ClickSource = new string('c', 50),
            Classification = ClickClassification.Bot(BotCategory.Scanner, new string('b', 50)),
        });

        var click = builder.Record();

        Assert.That(click.UserAgent, Has.Length.EqualTo(1000));
    }

    [Test]
    public void Restore_KeepsTheOriginalId()
    {
        var id = Guid.CreateVersion7();

        var click = LinkClick.Restore(id, new ClickDetailsBuilder().Build());

        Assert.That(click.Id, Is.EqualTo(id));
    }

    [Test]
    public void AnonymiseIp_OfAnIpv4Click_KeepsOnlyTheFirstThreeOctets()
    {
        var click = new ClickDetailsBuilder().From(IPAddress.Parse("203.0.113.77")).Record();

        var changed = click.AnonymiseIp();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(changed, Is.True);
            Assert.That(click.IpAddress, Is.EqualTo(IPAddress.Parse("203.0.113.0")));
        }
    }

    [Test]
    public void AnonymiseIp_OfAnIpv6Click_KeepsOnlyTheFirst48Bits()
    {
        var click = new ClickDetailsBuilder().From(IPAddress.Parse("2001:db8:85a3:8d3:1319:8a2e:370:7348")).Record();

        var changed = click.AnonymiseIp();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(changed, Is.True);
            Assert.That(click.IpAddress, Is.EqualTo(IPAddress.Parse("2001:db8:85a3::")));
        }
    }

    [Test]
    public void AnonymiseIp_WhenAlreadyAnonymised_ReturnsFalse()
    {
        var click = new ClickDetailsBuilder().From(IPAddress.Parse("203.0.113.77")).Record();
        click.AnonymiseIp();

        var changed = click.AnonymiseIp();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(changed, Is.False);
            Assert.That(click.IpAddress, Is.EqualTo(IPAddress.Parse("203.0.113.0")));
        }
    }

    [Test]
    public void AnonymiseIp_WhenTheClickHasNoAddress_ReturnsFalse()
    {
        var click = new ClickDetailsBuilder().From(null).Record();

        var changed = click.AnonymiseIp();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(changed, Is.False);
            Assert.That(click.IpAddress, Is.Null);
        }
    }
}
