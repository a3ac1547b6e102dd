using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Options;
using LinkTracking.Application.Common.Security;
using LinkTracking.Application.Links.Commands.CreateApplicationLinkPackage;
using LinkTracking.Application.Links.Common;
using LinkTracking.Application.UnitTests.Support;
using LinkTracking.Domain.Links;
using LinkTracking.Tests.Shared;
using Microsoft.Extensions.Options;
using Moq;

namespace LinkTracking.Application.UnitTests.Links;

public sealed class CreateApplicationLinkPackageCommandHandlerTests
{
    private static readonly Guid ApplicationId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
    private static readonly Guid JobId = Guid.Parse("7c9e6679-7425-40de-944b-e07fc1f90ae7");

    private Mock<ITrackedLinkRepository> _links = null!;
    private Mock<IUnitOfWork> _unitOfWork = null!;
    private Mock<ILinkCache> _cache = null!;
    private List<TrackedLink> _existing = null!;
    private List<TrackedLink> _added = null!;

    [SetUp]
    public void SetUp()
    {
        _links = new Mock<ITrackedLinkRepository>();
        _unitOfWork = new Mock<IUnitOfWork>();
        _cache = new Mock<ILinkCache>();
        _existing = [];
        _added = [];
        _links.Setup(l => l.Add(It.IsAny<TrackedLink>())).Callback<TrackedLink>(_added.Add);
        _links.Setup(l => l.TrackingIdExistsAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);
        _links.Setup(l => l.ListByApplicationAsync(ApplicationId, It.IsAny<CancellationToken>())).ReturnsAsync(() => _existing);
    }

    [Test]
    public async Task Handle_CreatesTheStandardLinksTheJobLinksAndTheExtras()
    {
        var handler = Handler(new LinkTrackingOptions
        {
            StandardLinks =
            {
                [LinkFunction.LinkedIn] = "https://www.linkedin.com/in/jane-doe",
                [LinkFunction.Calendly] = "https://calendly.com/jane/30min",
            },
        });
        var command = new CreateApplicationLinkPackageCommand(
            ApplicationId,
            JobId,
            new JobData("https://acme.example.com/", "https://acme.example.com/jobs/42/apply", "https://boards.example.com/acme/42"),
            [new ExtraLink(LinkFunction.GitHub, "https://github.com/jane-doe", LinkType.Profile)]);

        var package = await handler.Handle(command, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(package.Links.Keys, Is.EquivalentTo(new[] { "LinkedIn", "Calendly", "Company_Website", "Apply_Now", "Job_Posting", "GitHub" }));
            Assert.That(Created(), Is.EquivalentTo(new[]
            {
                ("LinkedIn", "https://www.linkedin.com/in/jane-doe", "profile"),
                ("Calendly", "https://calendly.com/jane/30min", "networking"),
                ("Company_Website", "https://acme.example.com/", "job_posting"),
                ("Apply_Now", "https://acme.example.com/jobs/42/apply", "application"),
                ("Job_Posting", "https://boards.example.com/acme/42", "job_posting"),
                ("GitHub", "https://github.com/jane-doe", "profile"),
            }));
            foreach (var link in _added)
            {
                Assert.That(package.Links[link.LinkFunction], Is.EqualTo(Mapping.RedirectUrlFor(link.TrackingId.Value)));
                Assert.That(link.ApplicationId, Is.EqualTo(ApplicationId));
                Assert.That(link.JobId, Is.EqualTo(JobId));
            }

            _unitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once);
        }
    }

    [Test]
    public async Task Handle_WhenJobDataAndStandardLinksNameTheSameFunction_TheJobDataWins()
    {
        var handler = Handler(new LinkTrackingOptions { StandardLinks = { [LinkFunction.CompanyWebsite] = "https://old-profile.example.com/" } });
        var command = new CreateApplicationLinkPackageCommand(ApplicationId, JobId, new JobData("https://acme.example.com/", null, null), null);

        await handler.Handle(command, CancellationToken.None);

        Assert.That(Created(), Is.EqualTo(new[] { ("Company_Website", "https://acme.example.com/", "job_posting") }));
    }

    [Test]
    public async Task Handle_WhenAnExtraLinkNamesAFunctionOfTheJobData_TheExtraLinkWins()
    {
        var handler = Handler(new LinkTrackingOptions());
        var command = new CreateApplicationLinkPackageCommand(
            ApplicationId,
            JobId,
            new JobData(null, "https://acme.example.com/jobs/42/apply", null),
            [new ExtraLink(LinkFunction.ApplyNow, "https://apply.acme.example.com/42", null)]);

        await handler.Handle(command, CancellationToken.None);

        Assert.That(Created(), Is.EqualTo(new[] { ("Apply_Now", "https://apply.acme.example.com/42", "external") }));
    }

    [Test]
    public async Task Handle_WhenTheApplicationHasAllItsLinks_ReturnsThemAndCreatesNothing()
    {
        _existing.Add(Existing("lt_linkedin0001", LinkFunction.LinkedIn, "https://www.linkedin.com/in/jane-doe"));
        _existing.Add(Existing("lt_apply000001", LinkFunction.ApplyNow, "https://acme.example.com/jobs/42/apply"));
        var handler = Handler(new LinkTrackingOptions { StandardLinks = { [LinkFunction.LinkedIn] = "https://www.linkedin.com/in/jane-doe" } });
        var command = new CreateApplicationLinkPackageCommand(ApplicationId, JobId, new JobData(null, "https://acme.example.com/jobs/42/apply", null), null);

        var package = await handler.Handle(command, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(package.Links, Is.EquivalentTo(new Dictionary<string, string>
            {
                ["LinkedIn"] = Mapping.RedirectUrlFor("lt_linkedin0001"),
                ["Apply_Now"] = Mapping.RedirectUrlFor("lt_apply000001"),
            }));
            Assert.That(_added, Is.Empty);
            _unitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never);
        }
    }

    [Test]
    public async Task Handle_WhenSomeLinksExist_CreatesOnlyTheMissingOnes()
    {
        _existing.Add(Existing("lt_linkedin0001", LinkFunction.LinkedIn, "https://www.linkedin.com/in/jane-doe"));
        var handler = Handler(new LinkTrackingOptions
        {
            StandardLinks =
            {
                [LinkFunction.LinkedIn] = "https://www.linkedin.com/in/jane-doe",
                [LinkFunction.Calendly] = "https://calendly.com/jane/30min",
            },
        });
        var command = new CreateApplicationLinkPackageCommand(ApplicationId, JobId, null, null);

        var package = await handler.Handle(command, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_added.Select(l => l.LinkFunction), Is.EqualTo(new[] { "Calendly" }));
            Assert.That(package.Links["LinkedIn"], Is.EqualTo(Mapping.RedirectUrlFor("lt_linkedin0001")));
            Assert.That(package.Links["Calendly"], Is.EqualTo(Mapping.RedirectUrlFor(_added[0].TrackingId.Value)));
        }
    }

    [Test]
    public async Task Handle_WhenAFunctionHasSeveralLinks_ReturnsTheOldest()
    {
        _existing.Add(Existing("lt_newer000001", LinkFunction.LinkedIn, "https://www.linkedin.com/in/jane", Clock.Start.UtcDateTime.AddDays(-1)));
        _existing.Add(Existing("lt_older000001", LinkFunction.LinkedIn, "https://www.linkedin.com/in/jane", Clock.Start.UtcDateTime.AddDays(-9)));
        var handler = Handler(new LinkTrackingOptions { StandardLinks = { [LinkFunction.LinkedIn] = "https://www.linkedin.com/in/jane" } });

        var package = await handler.Handle(new CreateApplicationLinkPackageCommand(ApplicationId, null, null, null), CancellationToken.None);

        Assert.That(package.Links["LinkedIn"], Is.EqualTo(Mapping.RedirectUrlFor("lt_older000001")));
    }

    [Test]
    public async Task Handle_SkipsEmptyJobFields()
    {
        var handler = Handler(new LinkTrackingOptions());
        var command = new CreateApplicationLinkPackageCommand(ApplicationId, JobId, new JobData("", "   ", null), null);

        var package = await handler.Handle(command, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(package.Links, Is.Empty);
            Assert.That(_added, Is.Empty);
            _unitOfWork.Verify(u => u.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never);
        }
    }

    [Test]
    public async Task Handle_SkipsAConfiguredProfileLinkThePolicyRefuses()
    {
        var handler = Handler(new LinkTrackingOptions
        {
            StandardLinks =
            {
                [LinkFunction.LinkedIn] = "https://www.linkedin.com/in/jane-doe",
                [LinkFunction.Portfolio] = "http://203.0.113.5/portfolio",
                ["Not a function"] = "https://example.com/",
            },
        });

        var package = await handler.Handle(new CreateApplicationLinkPackageCommand(ApplicationId, null, null, null), CancellationToken.None);

        Assert.That(package.Links.Keys, Is.EqualTo(new[] { "LinkedIn" }));
    }

    [Test]
    public async Task Handle_WithSentAt_StampsTheNewLinks_AndTheExistingOnesThatHadNone_DroppingThemFromTheCache()
    {
        var sentAt = Clock.Start.AddMinutes(-1);
        _existing.Add(Existing("lt_existing0001", LinkFunction.LinkedIn, "https://www.linkedin.com/in/jane-doe"));
        var handler = Handler(new LinkTrackingOptions { StandardLinks = { [LinkFunction.LinkedIn] = "https://www.linkedin.com/in/jane-doe" } });

        await handler.Handle(
            new CreateApplicationLinkPackageCommand(ApplicationId, JobId, new JobData(null, null, "https://jobs.example.com/42"), null, sentAt),
            CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_existing.Single().SentAt, Is.EqualTo(sentAt.UtcDateTime));
            Assert.That(_added.Single().SentAt, Is.EqualTo(sentAt.UtcDateTime));
            _cache.Verify(c => c.InvalidateAsync("lt_existing0001", It.IsAny<CancellationToken>()), Times.Once);
        }
    }

    [Test]
    public async Task Handle_WithDecoy_CreatesAHiddenDecoyLinkToAnOrdinaryPage_AnswersItsUrlApart_AndOnlyOnce()
    {
        var handler = Handler(new LinkTrackingOptions { StandardLinks = { [LinkFunction.LinkedIn] = "https://www.linkedin.com/in/jane-doe" } });
        var command = new CreateApplicationLinkPackageCommand(ApplicationId, JobId, null, null, Decoy: true);

        var first = await handler.Handle(command, CancellationToken.None);
        _existing.AddRange(_added);
        var second = await handler.Handle(command, CancellationToken.None);

        var decoy = _added.Single(l => l.IsDecoy);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Links.Keys, Is.EqualTo(new[] { "LinkedIn" }), "the decoy is not one of the package's links");
            Assert.That(first.DecoyUrl, Does.EndWith("/track/" + decoy.TrackingId.Value));
            Assert.That(decoy.OriginalUrl.Value, Is.EqualTo("https://www.linkedin.com/in/jane-doe"));
            Assert.That(second.DecoyUrl, Is.EqualTo(first.DecoyUrl));
            Assert.That(_added, Has.Count.EqualTo(2));
        }
    }

    [Test]
    public async Task Handle_WithoutDecoy_AnswersNoDecoyUrl()
    {
        var handler = Handler(new LinkTrackingOptions { StandardLinks = { [LinkFunction.LinkedIn] = "https://www.linkedin.com/in/jane-doe" } });

        var package = await handler.Handle(new CreateApplicationLinkPackageCommand(ApplicationId, JobId, null, null), CancellationToken.None);

        Assert.That(package.DecoyUrl, Is.Null);
        Assert.That(_added.Any(l => l.IsDecoy), Is.False);
    }

    private CreateApplicationLinkPackageCommandHandler Handler(LinkTrackingOptions options) =>
        new(
            _links.Object,
            new TrackedLinkFactory(_links.Object, _unitOfWork.Object, new Mock<IWebhookOutbox>().Object, Clock.AtStart()),
            Mapping.LinkUrls().Object,
            new UrlPolicy(Options.Create(new SecurityOptions())),
            _cache.Object,
            _unitOfWork.Object,
            Clock.AtStart(),
            Options.Create(options));

    private IEnumerable<(string Function, string Url, string Type)> Created() =>
        _added.Select(l => (l.LinkFunction, l.OriginalUrl.Value, l.LinkType));

    private static TrackedLink Existing(string trackingId, string function, string url, DateTime? createdAt = null) =>
        new TrackedLinkBuilder()
            .WithTrackingId(trackingId)
            .WithFunction(function)
            .WithType(null)
            .WithUrl(url)
            .ForApplication(ApplicationId)
            .CreatedAt(createdAt ?? Clock.Start.UtcDateTime.AddDays(-2))
            .Build();
}
