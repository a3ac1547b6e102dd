using LinkTracking.Application.Clicks.Commands.RecordClick;
using LinkTracking.Application.Clicks.Commands.RecordClicks;
using LinkTracking.Domain.Clicks;
using Moq;

namespace LinkTracking.Application.UnitTests.Clicks;

public sealed class RecordClicksCommandHandlerTests
{
    private ClickTestKit _kit = null!;
    private RecordClicksCommandHandler _handler = null!;

    [SetUp]
    public void SetUp()
    {
        _kit = new ClickTestKit();
        _handler = new RecordClicksCommandHandler(new RecordClickCommandValidator(_kit.Clock), _kit.PartnerClicks(), _kit.Recorder.Object, _kit.Events, _kit.StoredEvents.Object);
    }

    [Test]
    public async Task Handle_AnswersEveryItemInOrder()
    {
        var command = new RecordClicksCommand(
        [
            new RecordClickCommand(ClickTestKit.ActiveId, ReferrerUrl: "https://www.linkedin.com/feed/"),
            new RecordClickCommand(ClickTestKit.UnknownId),
            new RecordClickCommand(ClickTestKit.InactiveId),
            new RecordClickCommand(ClickTestKit.ActiveId, IpAddress: "1"),
            null,
            new RecordClickCommand(ClickTestKit.ActiveId, EventId: "evt-6"),
        ]);

        var result = await _handler.Handle(command, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Results.Select(r => r.Index), Is.EqualTo(new[] { 0, 1, 2, 3, 4, 5 }));
            Assert.That(result.Results.Select(r => r.Status), Is.EqualTo(new[] { 201, 404, 409, 400, 400, 201 }));
            Assert.That(result.Accepted, Is.EqualTo(2));
            Assert.That(result.Rejected, Is.EqualTo(4));
            Assert.That(result.Results[0].ClickSource, Is.EqualTo("linkedin"));
            Assert.That(result.Results[1].TrackingId, Is.EqualTo(ClickTestKit.UnknownId));
            Assert.That(result.Results[3].Errors, Does.ContainKey("ip_address"));
            Assert.That(result.Results[4].Errors, Is.Not.Empty);
        }
    }

    [Test]
    public async Task Handle_StoresOnlyTheValidItemsInOneBatch()
    {
        var command = new RecordClicksCommand(
        [
            new RecordClickCommand(ClickTestKit.ActiveId, SessionId: "s-0"),
            new RecordClickCommand(ClickTestKit.UnknownId, SessionId: "s-1"),
            new RecordClickCommand(ClickTestKit.ActiveId, ClickedAt: Support.Clock.Start.AddHours(1), SessionId: "s-2"),
            new RecordClickCommand(ClickTestKit.ActiveId, SessionId: "s-3"),
        ]);

        var result = await _handler.Handle(command, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_kit.Batches, Has.Count.EqualTo(1));
            Assert.That(_kit.Batches[0].Select(c => c.SessionId), Is.EqualTo(new[] { "s-0", "s-3" }));
            Assert.That(_kit.Batches[0].Select(c => c.Id), Is.EqualTo(new[] { result.Results[0].ClickId, result.Results[3].ClickId }));
            _kit.Recorder.Verify(r => r.RecordAsync(It.IsAny<LinkClick>(), It.IsAny<CancellationToken>()), Times.Never);
        }
    }

    [Test]
    public async Task Handle_WhenNoItemIsValid_StoresNothing()
    {
        var command = new RecordClicksCommand([new RecordClickCommand(ClickTestKit.UnknownId), new RecordClickCommand("not-an-id")]);

        var result = await _handler.Handle(command, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Accepted, Is.Zero);
            Assert.That(result.Results[1].Errors, Does.ContainKey("tracking_id"));
            _kit.Recorder.Verify(r => r.RecordManyAsync(It.IsAny<IReadOnlyList<LinkClick>>(), It.IsAny<CancellationToken>()), Times.Never);
        }
    }

    [Test]
    public async Task Handle_ReportsItemsTheReaderCouldNotReadWithTheirErrors()
    {
        var readerErrors = new Dictionary<string, string[]> { ["clicked_at"] = ["The value could not be read as a date."] };
        var command = new RecordClicksCommand(
            [new RecordClickCommand(ClickTestKit.ActiveId), null, new RecordClickCommand(ClickTestKit.ActiveId)],
            new Dictionary<int, IReadOnlyDictionary<string, string[]>> { [1] = readerErrors });

        var result = await _handler.Handle(command, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Results.Select(r => r.Status), Is.EqualTo(new[] { 201, 400, 201 }));
            Assert.That(result.Results[1].Errors, Is.EqualTo(readerErrors));
            Assert.That(_kit.Batches.Single(), Has.Count.EqualTo(2));
        }
    }

    [Test]
    public async Task Handle_WhenAPartnerRetriesAnEvent_AnswersWithTheSameClickId()
    {
        var item = new RecordClickCommand(ClickTestKit.ActiveId, EventId: "evt-1");

        var first = await _handler.Handle(new RecordClicksCommand([item]), CancellationToken.None);
        var retry = await _handler.Handle(new RecordClicksCommand([item]), CancellationToken.None);

        Assert.That(retry.Results[0].ClickId, Is.EqualTo(first.Results[0].ClickId));
    }

    [Test]
    public async Task Handle_WhenAnEventIsRetried_AnswersTheFirstClickedAt_AndRecordsOnlyTheNewClicks()
    {
        var item = new RecordClickCommand(ClickTestKit.ActiveId, EventId: "evt-11");
        var first = await _handler.Handle(new RecordClicksCommand([item]), CancellationToken.None);
        _kit.Clock.Advance(TimeSpan.FromMinutes(3));

        var retry = await _handler.Handle(new RecordClicksCommand([new RecordClickCommand(ClickTestKit.ActiveId), item]), CancellationToken.None);

        Assert.That(retry.Results[1], Is.EqualTo(first.Results[0] with { Index = 1 }));
        Assert.That(_kit.Batches[1], Has.Count.EqualTo(1), "only the click without an event id is new");
        Assert.That(_kit.Batches[1][0].EventId, Is.Null);
    }
}
