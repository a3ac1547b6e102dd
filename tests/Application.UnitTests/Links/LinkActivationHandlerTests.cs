using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Links.Commands.ActivateLink;
using LinkTracking.Application.Links.Commands.DeactivateLink;
using LinkTracking.Application.Links.Common;
using LinkTracking.Application.UnitTests.Support;
using LinkTracking.Domain.Links;
using LinkTracking.Tests.Shared;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace LinkTracking.Application.UnitTests.Links;

public sealed class LinkActivationHandlerTests
{
    private const string TrackingId = "lt_abc123def456";

    private Mock<ITrackedLinkRepository> _links = null!;
    private Mock<IUnitOfWork> _unitOfWork = null!;
    private Mock<ILinkCache> _cache = null!;
    private Mock<IWebhookOutbox> _webhooks = null!;
    private FakeTimeProvider _clock = null!;
    private LinkActivation _activation = null!;

    [SetUp]
    public void SetUp()
    {
        _links = new Mock<ITrackedLinkRepository>();
        _unitOfWork = new Mock<IUnitOfWork>();
        _cache = new Mock<ILinkCache>();
        _webhooks = new Mock<IWebhookOutbox>();
        _clock = Clock.AtStart();
        _activation = new LinkActivation(_links.Object, _unitOfWork.Object, _cache.Object, _webhooks.Object, Mapping.CreateLinkDtoMapper(), _clock);
    }

    [Test]
    public void Deactivate_WhenTheLinkIsUnknown_IsNotFound()
    {
        var handler = new DeactivateLinkCommandHandler(_activation);

        var ex = Assert.ThrowsAsync<NotFoundException>(async () => await handler.Handle(new DeactivateLinkCommand(TrackingId), CancellationToken.None));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex.Message, Does.Contain(TrackingId));
            _unitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never);
        }
    }

    [Test]
    public void Activate_WhenTheLinkIsUnknown_IsNotFound()
    {
        var handler = new ActivateLinkCommandHandler(_activation);

        Assert.ThrowsAsync<NotFoundException>(async () => await handler.Handle(new ActivateLinkCommand(TrackingId), CancellationToken.None));
    }

    [Test]
    public async Task Deactivate_WhenActive_SavesTheInactiveLinkAndDropsItFromTheCache()
    {
        var link = Stored(new TrackedLinkBuilder().WithTrackingId(TrackingId).Build());
        var handler = new DeactivateLinkCommandHandler(_activation);

        var dto = await handler.Handle(new DeactivateLinkCommand(TrackingId), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(dto.IsActive, Is.False);
            Assert.That(dto.TrackingId, Is.EqualTo(TrackingId));
            Assert.That(dto.RedirectUrl, Is.EqualTo(Mapping.RedirectUrlFor(TrackingId)));
            Assert.That(link.UpdatedAt, Is.EqualTo(Clock.Start.UtcDateTime));
            _unitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once);
            _cache.Verify(c => c.InvalidateAsync(TrackingId, It.IsAny<CancellationToken>()), Times.Once);
        }
    }

    [Test]
    public async Task Deactivate_IsSavedBeforeTheCacheIsDropped()
    {
        // Dropping the cache first would let another instance re-cache the still-active link.
        Stored(new TrackedLinkBuilder().WithTrackingId(TrackingId).Build());
        var calls = new List<string>();
        _unitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>())).Callback(() => calls.Add("save")).Returns(Task.CompletedTask);
        _cache.Setup(c => c.InvalidateAsync(TrackingId, It.IsAny<CancellationToken>())).Callback(() => calls.Add("invalidate")).Returns(ValueTask.CompletedTask);

        await new DeactivateLinkCommandHandler(_activation).Handle(new DeactivateLinkCommand(TrackingId), CancellationToken.None);

        Assert.That(calls, Is.EqualTo(new[] { "save", "invalidate" }));
    }

    [Test]
    public async Task Deactivate_AddsALinkDeactivatedEvent_BeforeTheSave()
    {
        Stored(new TrackedLinkBuilder().WithTrackingId(TrackingId).Build());
        var calls = new List<string>();
        _webhooks.Setup(w => w.AddAsync(It.IsAny<IReadOnlyList<WebhookEventDraft>>(), It.IsAny<CancellationToken>()))
            .Callback<IReadOnlyList<WebhookEventDraft>, CancellationToken>((events, _) =>
                calls.AddRange(events.Select(e => $"{e.Type} {((LinkEventData)e.Data).TrackingId} active={((LinkEventData)e.Data).IsActive}")))
            .Returns(Task.CompletedTask);
        _unitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>())).Callback(() => calls.Add("save")).Returns(Task.CompletedTask);

        await new DeactivateLinkCommandHandler(_activation).Handle(new DeactivateLinkCommand(TrackingId), CancellationToken.None);

        Assert.That(calls, Is.EqualTo(new[] { $"link.deactivated {TrackingId} active=False", "save" }));
    }

    [Test]
    public async Task Deactivate_WhenAlreadyInactive_OrActivate_AddsNoEvent()
    {
        Stored(new TrackedLinkBuilder().WithTrackingId(TrackingId).Inactive().Build());

        await new DeactivateLinkCommandHandler(_activation).Handle(new DeactivateLinkCommand(TrackingId), CancellationToken.None);
        await new ActivateLinkCommandHandler(_activation).Handle(new ActivateLinkCommand(TrackingId), CancellationToken.None);

        _webhooks.Verify(w => w.AddAsync(It.IsAny<IReadOnlyList<WebhookEventDraft>>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task Deactivate_WhenAlreadyInactive_SavesNothingButStillDropsTheCache()
    {
        Stored(new TrackedLinkBuilder().WithTrackingId(TrackingId).Inactive().Build());
        var handler = new DeactivateLinkCommandHandler(_activation);

        var dto = await handler.Handle(new DeactivateLinkCommand(TrackingId), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(dto.IsActive, Is.False);
            _unitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never);
            _cache.Verify(c => c.InvalidateAsync(TrackingId, It.IsAny<CancellationToken>()), Times.Once);
        }
    }

    [Test]
    public async Task Activate_WhenInactive_SavesTheActiveLinkAndDropsItFromTheCache()
    {
        Stored(new TrackedLinkBuilder().WithTrackingId(TrackingId).Inactive().Build());
        var handler = new ActivateLinkCommandHandler(_activation);

        var dto = await handler.Handle(new ActivateLinkCommand(TrackingId), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(dto.IsActive, Is.True);
            _unitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once);
            _cache.Verify(c => c.InvalidateAsync(TrackingId, It.IsAny<CancellationToken>()), Times.Once);
        }
    }

    [Test]
    public async Task Activate_WhenAlreadyActive_SavesNothing()
    {
        Stored(new TrackedLinkBuilder().WithTrackingId(TrackingId).Build());
        var handler = new ActivateLinkCommandHandler(_activation);

        var dto = await handler.Handle(new ActivateLinkCommand(TrackingId), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(dto.IsActive, Is.True);
            _unitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never);
        }
    }

    private TrackedLink Stored(TrackedLink link)
    {
        _links.Setup(l => l.GetByTrackingIdAsync(link.TrackingId.Value, It.IsAny<CancellationToken>())).ReturnsAsync(link);
        return link;
    }
}
