using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Mapping;
using LinkTracking.Application.Links.Commands.CreateTrackedLink;
using LinkTracking.Application.Links.Common;
using LinkTracking.Application.UnitTests.Support;
using LinkTracking.Domain.Links;
using LinkTracking.Tests.Shared;
using Moq;

namespace LinkTracking.Application.UnitTests.Links;

public sealed class CreateTrackedLinkCommandHandlerTests
{
    private Mock<ITrackedLinkRepository> _links = null!;
    private Mock<IUnitOfWork> _unitOfWork = null!;
    private List<TrackedLink> _added = null!;
    private Mock<IWebhookOutbox> _webhooks = null!;
    private List<string> _calls = null!;
    private CreateTrackedLinkCommandHandler _handler = null!;

    [SetUp]
    public void SetUp()
    {
        _links = new Mock<ITrackedLinkRepository>();
        _unitOfWork = new Mock<IUnitOfWork>();
        _webhooks = new Mock<IWebhookOutbox>();
        _calls = [];
        _webhooks.Setup(w => w.AddAsync(It.IsAny<IReadOnlyList<WebhookEventDraft>>(), It.IsAny<CancellationToken>()))
            .Callback<IReadOnlyList<WebhookEventDraft>, CancellationToken>((events, _) => _calls.AddRange(events.Select(e => "event " + e.Type)))
            .Returns(Task.CompletedTask);
        _unitOfWork.Setup(u => u.SaveChangesAsync(It.IsAny<CancellationToken>())).Callback(() => _calls.Add("save")).Returns(Task.CompletedTask);
        _added = [];
        _links.Setup(l => l.Add(It.IsAny<TrackedLink>())).Callback<TrackedLink>(_added.Add);
        _links.Setup(l => l.TrackingIdExistsAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);
        _handler = new CreateTrackedLinkCommandHandler(
            new TrackedLinkFactory(_links.Object, _unitOfWork.Object, _webhooks.Object, Clock.AtStart()),
            Mapping.CreateLinkDtoMapper());
    }

    [Test]
    public async Task Handle_AddsOneLinkAndSavesOnce()
    {
        var command = new CreateTrackedLinkCommand("https://www.linkedin.com/in/jane-doe", LinkFunction.LinkedIn);

        await _handler.Handle(command, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_added, Has.Count.EqualTo(1));
            _unitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once);
        }
    }

    [Test]
    public async Task Handle_AddsALinkCreatedEventForTheNewLink_BeforeTheSaveThatCommitsBoth()
    {
        var applicationId = Guid.NewGuid();
        WebhookEventDraft? sent = null;
        _webhooks.Setup(w => w.AddAsync(It.IsAny<IReadOnlyList<WebhookEventDraft>>(), It.IsAny<CancellationToken>()))
            .Callback<IReadOnlyList<WebhookEventDraft>, CancellationToken>((events, _) =>
            {
                sent = events.Single();
                _calls.Add("event " + sent.Type);
            })
            .Returns(Task.CompletedTask);

        var dto = await _handler.Handle(
            new CreateTrackedLinkCommand("https://jobs.example.com/apply/42", LinkFunction.ApplyNow, LinkType.Application, null, applicationId),
            CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_calls, Is.EqualTo(new[] { "event link.created", "save" }));
            Assert.That(sent!.ApplicationId, Is.EqualTo(applicationId));
            Assert.That(((LinkEventData)sent.Data).TrackingId, Is.EqualTo(dto.TrackingId));
        }
    }

    [Test]
    public async Task Handle_ReturnsTheNewActiveLinkWithItsRedirectUrl()
    {
        var jobId = Guid.NewGuid();
        var applicationId = Guid.NewGuid();
        var command = new CreateTrackedLinkCommand(
            "https://jobs.example.com/apply/42", LinkFunction.ApplyNow, LinkType.Application, jobId, applicationId, "Apply here", "orchestrator");

        var dto = await _handler.Handle(command, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(dto.TrackingId, Does.Match("^lt_[a-z0-9]{12}$"));
            Assert.That(dto.TrackingId, Is.EqualTo(_added.Single().TrackingId.Value));
            Assert.That(dto.RedirectUrl, Is.EqualTo($"https://go.example.com/track/{dto.TrackingId}"));
            Assert.That(dto.OriginalUrl, Is.EqualTo("https://jobs.example.com/apply/42"));
            Assert.That(dto.LinkFunction, Is.EqualTo("Apply_Now"));
            Assert.That(dto.LinkType, Is.EqualTo("application"));
            Assert.That(dto.JobId, Is.EqualTo(jobId));
            Assert.That(dto.ApplicationId, Is.EqualTo(applicationId));
            Assert.That(dto.Description, Is.EqualTo("Apply here"));
            Assert.That(dto.CreatedBy, Is.EqualTo("orchestrator"));
            Assert.That(dto.CreatedAt, Is.EqualTo(Clock.Start.UtcDateTime));
            Assert.That(dto.IsActive, Is.True);
        }
    }

    [Test]
    public async Task Handle_WithoutTypeOrCreator_UsesExternalAndSystem()
    {
        var command = new CreateTrackedLinkCommand("https://example.com/", "Team_Page");

        var dto = await _handler.Handle(command, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(dto.LinkType, Is.EqualTo("external"));
            Assert.That(dto.CreatedBy, Is.EqualTo("system"));
        }
    }

    [Test]
    public async Task Handle_StoresInternationalHostsAsPunycode()
    {
        var command = new CreateTrackedLinkCommand("https://bücher.example/", LinkFunction.CompanyWebsite);

        var dto = await _handler.Handle(command, CancellationToken.None);

        Assert.That(dto.OriginalUrl, Is.EqualTo("https://xn--bcher-kva.example/"));
    }

    [Test]
    public async Task Handle_WhenTheTrackingIdIsTaken_TriesAnotherOne()
    {
        // The first two candidates are taken.
        var asked = new List<string>();
        _links.Setup(l => l.TrackingIdExistsAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback<string, CancellationToken>((id, _) => asked.Add(id))
            .ReturnsAsync(() => asked.Count < 3);
        var command = new CreateTrackedLinkCommand("https://www.linkedin.com/in/jane-doe", LinkFunction.LinkedIn);

        var dto = await _handler.Handle(command, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(asked, Has.Count.EqualTo(3));
            Assert.That(asked, Is.Unique);
            Assert.That(dto.TrackingId, Is.EqualTo(asked[2]));
            Assert.That(_added.Single().TrackingId.Value, Is.EqualTo(asked[2]));
            _unitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once);
        }
    }

    [Test]
    public async Task Handle_OnADomain_WhenTheShortCodeIsTakenThere_TriesAnotherOneOnThatDomain()
    {
        // The first candidate is taken on go.brand.test (the domain arrives in any case; it is asked in lower case).
        var asked = new List<(string Domain, string Code)>();
        _links.Setup(l => l.ShortCodeExistsAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback<string, string, CancellationToken>((domain, code, _) => asked.Add((domain, code)))
            .ReturnsAsync(() => asked.Count < 2);
        var command = new CreateTrackedLinkCommand("https://janedoe.dev/", LinkFunction.LinkedIn) { Domain = "Go.Brand.Test" };

        var dto = await _handler.Handle(command, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(asked.Select(a => a.Domain), Is.All.EqualTo("go.brand.test"));
            Assert.That(asked, Has.Count.EqualTo(2));
            Assert.That(asked.Select(a => a.Code), Is.Unique.And.All.Match("^[a-z0-9]{7}$"));
            Assert.That((dto.Domain, dto.ShortCode), Is.EqualTo(("go.brand.test", asked[1].Code)));
        }
    }

    [Test]
    public void Handle_WhenEveryTrackingIdIsTaken_GivesUpWithoutSaving()
    {
        _links.Setup(l => l.TrackingIdExistsAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var command = new CreateTrackedLinkCommand("https://www.linkedin.com/in/jane-doe", LinkFunction.LinkedIn);

        Assert.ThrowsAsync<InvalidOperationException>(async () => await _handler.Handle(command, CancellationToken.None));

        using (Assert.EnterMultipleScope())
        {
            _links.Verify(l => l.TrackingIdExistsAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Exactly(TrackedLinkFactory.MaxIdAttempts));
            Assert.That(_added, Is.Empty);
            _unitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never);
        }
    }

    [Test]
    public async Task Handle_PassesTheCallersCancellationTokenDown()
    {
        using var cancellation = new CancellationTokenSource();
        var command = new CreateTrackedLinkCommand("https://www.linkedin.com/in/jane-doe", LinkFunction.LinkedIn);

        await _handler.Handle(command, cancellation.Token);

        _unitOfWork.Verify(u => u.SaveChangesAsync(cancellation.Token), Times.Once);
    }

    [Test]
    public void LinkDto_RedirectUrl_ComesFromILinkUrls()
    {
        var urls = new Mock<ILinkUrls>();
        urls.Setup(u => u.RedirectUrlFor("lt_abc123def456")).Returns("https://links.partner.example/track/lt_abc123def456");
        var mapper = new LinkDtoMapper(Mapping.CreateMapper(), urls.Object);

        var dto = mapper.ToDto(new TrackedLinkBuilder().Build());

        Assert.That(dto.RedirectUrl, Is.EqualTo("https://links.partner.example/track/lt_abc123def456"));
    }
}
