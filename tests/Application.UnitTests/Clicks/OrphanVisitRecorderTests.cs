using System.Net;
using LinkTracking.Application.Clicks.Classification;
using LinkTracking.Application.Clicks.Commands.TrackRedirect;
using LinkTracking.Application.Clicks.OrphanVisits;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Options;
using LinkTracking.Application.UnitTests.Support;
using LinkTracking.Domain.Clicks;
using Microsoft.Extensions.Options;
using Moq;

namespace LinkTracking.Application.UnitTests.Clicks;

public sealed class OrphanVisitRecorderTests
{
    private readonly List<OrphanVisit> _queued = [];
    private Mock<IOrphanVisitSink> _sink = null!;
    private Mock<IClickClassifier> _classifier = null!;
    private Microsoft.Extensions.Time.Testing.FakeTimeProvider _clock = null!;

    [SetUp]
    public void SetUp()
    {
        _queued.Clear();
        _sink = new Mock<IOrphanVisitSink>();
        _sink.Setup(s => s.TryEnqueue(It.IsAny<OrphanVisit>())).Callback<OrphanVisit>(_queued.Add).Returns(true);
        _classifier = new Mock<IClickClassifier>();
        _classifier.Setup(c => c.Classify(It.IsAny<ClickFacts>())).Returns(ClickClassification.Bot(BotCategory.Scanner, ClickSignals.AgentList));
        _clock = Clock.AtStart();
    }

    [Test]
    public void Record_QueuesTheVisitWithAMaskedAddressAndTheClassifiersCategory()
    {
        var recorder = Recorder(maxPerIp: 5);

        var queued = recorder.Record("/track/lt_unknown00001", Request("203.0.113.77", referrer: "https://mail.example.com/"));

        var visit = _queued.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(queued, Is.True);
            Assert.That(visit.Path, Is.EqualTo("/track/lt_unknown00001"));
            Assert.That(visit.IpPartial, Is.EqualTo("203.0.113.*"));
            Assert.That(visit.Referrer, Is.EqualTo("https://mail.example.com/"));
            Assert.That(visit.BotCategory, Is.EqualTo(BotCategory.Scanner));
            Assert.That(visit.VisitedAt, Is.EqualTo(_clock.GetUtcNow().UtcDateTime));
        }
    }

    [Test]
    public void Record_StopsAtTheCapForOneMaskedAddress_ButNotForOthers()
    {
        var recorder = Recorder(maxPerIp: 2);

        var sameNetwork = Enumerable.Range(1, 5).Select(i => recorder.Record("/track/x", Request($"198.51.100.{i}"))).ToList();
        var other = recorder.Record("/track/x", Request("192.0.2.1"));

        Assert.That(sameNetwork, Is.EqualTo(new[] { true, true, false, false, false }));
        Assert.That(other, Is.True);
        Assert.That(_queued, Has.Count.EqualTo(3));
    }

    [Test]
    public void Record_StartsCountingAgainOnTheNextUtcDay()
    {
        var recorder = Recorder(maxPerIp: 1);
        recorder.Record("/track/x", Request("198.51.100.1"));
        var sameDay = recorder.Record("/track/x", Request("198.51.100.1"));

        _clock.Advance(TimeSpan.FromDays(1));
        var nextDay = recorder.Record("/track/x", Request("198.51.100.1"));

        Assert.That(sameDay, Is.False);
        Assert.That(nextDay, Is.True);
    }

    [Test]
    public void Record_WithACapOfZero_RecordsNothing()
    {
        var recorder = Recorder(maxPerIp: 0);

        var queued = recorder.Record("/track/x", Request("198.51.100.1"));

        Assert.That(queued, Is.False);
        _sink.Verify(s => s.TryEnqueue(It.IsAny<OrphanVisit>()), Times.Never);
    }

    [Test]
    public void Record_CutsALongPath()
    {
        var recorder = Recorder(maxPerIp: 5);

        recorder.Record("/track/" + new string('a', 5000), Request("198.51.100.1"));

        Assert.That(_queued.Single().Path, Has.Length.EqualTo(OrphanVisit.MaxPathLength));
    }

    private OrphanVisitRecorder Recorder(int maxPerIp) =>
        new(_classifier.Object, _sink.Object, _clock, Options.Create(new OrphanVisitOptions { MaxPerIpPerDay = maxPerIp }));

    private static RedirectRequest Request(string ip, string? referrer = null) =>
        new("GET", IPAddress.Parse(ip), "curl/8.5", referrer, null, null, false, new ClientHeaders(null, null, null, null, null, null, null, null, null, null));
}
