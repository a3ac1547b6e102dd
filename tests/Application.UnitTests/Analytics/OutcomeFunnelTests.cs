using LinkTracking.Application.Analytics.Common;
using LinkTracking.Application.Common.Interfaces;

namespace LinkTracking.Application.UnitTests.Analytics;

/// <summary>The funnel's steps and the engagement groups against hand-computed values (Wilson 95 %, z = 1.95996).</summary>
public sealed class OutcomeFunnelTests
{
    [Test]
    public void StepsOf_CountsEachStepAsAShareOfTheApplicationsSent()
    {
        // 40 opened by a person (30 replied, 12 interviews, 3 offers), 10 fetched by scanners only (1 reply), 50 never fetched.
        var facts = new OutcomeFunnelFacts(new OutcomeCounts(40, 30, 12, 3), new OutcomeCounts(10, 1, 0, 0), new OutcomeCounts(50, 0, 0, 0), []);

        var steps = OutcomeFunnel.StepsOf(facts);

        Assert.That(steps.Select(s => (s.Step, s.Applications, s.Rate)), Is.EqualTo(new[]
        {
            ("sent", 100, 1.0), ("fetched", 50, 0.5), ("opened_by_person", 40, 0.4), ("replied", 31, 0.31), ("interview", 12, 0.12), ("offer", 3, 0.03),
        }));
    }

    [Test]
    public void StepsOf_WithNothingSent_ReportsZeroRatesNotNaN()
    {
        var steps = OutcomeFunnel.StepsOf(OutcomeFunnelFacts.Empty);

        Assert.That(steps.Select(s => s.Rate), Is.All.EqualTo(0.0));
    }

    [Test]
    public void EngagementOf_WhenTheIntervalsDoNotOverlap_IsSignificant()
    {
        // Interviews: 30 of 40 with a person's click, [0.5981, 0.8581]; 2 of 40 without, [0.0138, 0.1650].
        var facts = new OutcomeFunnelFacts(new OutcomeCounts(40, 30, 30, 0), OutcomeCounts.None, new OutcomeCounts(40, 2, 2, 0), []);

        var groups = OutcomeFunnel.EngagementOf(facts);

        var human = groups.Single(g => g.Group == "human_click");
        var none = groups.Single(g => g.Group == "no_human_click");
        Assert.Multiple(() =>
        {
            Assert.That(human.InterviewRate, Is.EqualTo(0.75));
            Assert.That(human.InterviewRateCi95, Is.EqualTo(new[] { 0.5981, 0.8581 }));
            Assert.That(none.InterviewRateCi95, Is.EqualTo(new[] { 0.0138, 0.165 }));
            Assert.That(human.Significant, Is.True);
            Assert.That(none.Significant, Is.True);
        });
    }

    [Test]
    public void EngagementOf_ASmallSampleWithAHighRate_IsNotSignificant()
    {
        // 1 of 1 opened portfolio got an interview, 1 of 3 without: 100 % against 33 %, but [0.2065, 1] overlaps [0.0615, 0.7923].
        var facts = new OutcomeFunnelFacts(
            new OutcomeCounts(1, 1, 1, 0),
            OutcomeCounts.None,
            new OutcomeCounts(3, 1, 1, 0),
            [new FunctionEngagement("Portfolio", new OutcomeCounts(1, 1, 1, 0), new OutcomeCounts(3, 1, 1, 0))]);

        var groups = OutcomeFunnel.EngagementOf(facts);

        var portfolio = groups.Single(g => g.Group == "opened:Portfolio");
        Assert.Multiple(() =>
        {
            Assert.That(groups.Select(g => g.Group), Is.EqualTo(new[] { "human_click", "no_human_click", "opened:Portfolio" }));
            Assert.That(portfolio.Applications, Is.EqualTo(1));
            Assert.That(portfolio.InterviewRate, Is.EqualTo(1.0));
            Assert.That(portfolio.InterviewRateCi95, Is.EqualTo(new[] { 0.2065, 1.0 }));
            Assert.That(portfolio.Significant, Is.False);
        });
    }

    [Test]
    public void EngagementOf_ADifferenceInReplyRatesAlone_IsSignificant()
    {
        // Same interview rate (0 of 40 each), replies 30 of 40 against 2 of 40.
        var facts = new OutcomeFunnelFacts(new OutcomeCounts(40, 30, 0, 0), OutcomeCounts.None, new OutcomeCounts(40, 2, 0, 0), []);

        var human = OutcomeFunnel.EngagementOf(facts).Single(g => g.Group == "human_click");

        Assert.That(human.Significant, Is.True);
    }
}
