using FluentValidation;
using LinkTracking.Application.Clicks.Commands.RecordClick;
using LinkTracking.Application.Clicks.Commands.RecordClicks;
using LinkTracking.Application.Common.Behaviours;
using LinkTracking.Application.Common.Mapping;
using LinkTracking.Application.Common.Options;
using LinkTracking.Application.Common.Security;
using LinkTracking.Application.Links.Commands.CreateTrackedLink;
using Mediator;
using LinkTracking.Application.UnitTests.Support;
using Microsoft.Extensions.Options;
using ValidationException = LinkTracking.Application.Common.Exceptions.ValidationException;

namespace LinkTracking.Application.UnitTests.Common;

public sealed class ValidationBehaviourTests
{
    private static readonly LinkDto Created = new()
    {
        TrackingId = "lt_abc123def456",
        OriginalUrl = "https://example.com/",
        LinkFunction = "LinkedIn",
        LinkType = "external",
        CreatedBy = "system",
    };

    private int _nextCalls;

    [SetUp]
    public void SetUp() => _nextCalls = 0;

    [Test]
    public void Handle_WhenTheMessageIsInvalid_ThrowsWithSnakeCaseFieldsAndDoesNotCallTheHandler()
    {
        var behaviour = new ValidationBehaviour<CreateTrackedLinkCommand, LinkDto>([CreateLinkValidator()]);
        var command = new CreateTrackedLinkCommand("javascript:alert(1)", "Linked In", LinkType: "blog", CreatedBy: new string('c', 101));

        var ex = Assert.ThrowsAsync<ValidationException>(async () => await behaviour.Handle(command, Next<CreateTrackedLinkCommand>(), CancellationToken.None));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex.Errors.Keys, Is.EquivalentTo(new[] { "original_url", "link_function", "link_type", "created_by" }));
            Assert.That(ex.Errors["original_url"], Is.EqualTo(new[] { "Only http and https URLs can be tracked." }));
            Assert.That(_nextCalls, Is.Zero);
        }
    }

    [Test]
    public void Handle_NamesItemsOfAListByIndex()
    {
        var behaviour = new ValidationBehaviour<RecordClicksCommand, RecordClicksResult>([new EveryClickNeedsATrackingId()]);
        var command = new RecordClicksCommand([new RecordClickCommand("lt_abc123def456"), new RecordClickCommand(null), new RecordClickCommand("")]);

        var ex = Assert.ThrowsAsync<ValidationException>(async () => await behaviour.Handle(command, Next<RecordClicksCommand, RecordClicksResult>(new([], 0, 0)), CancellationToken.None));

        Assert.That(ex.Errors.Keys, Is.EquivalentTo(new[] { "clicks[1].tracking_id", "clicks[2].tracking_id" }));
    }

    [Test]
    public void Handle_GathersTheFailuresOfEveryValidator()
    {
        var first = new InlineValidator<CreateTrackedLinkCommand>();
        first.RuleFor(c => c.Description).Must(_ => false).WithMessage("first");
        var second = new InlineValidator<CreateTrackedLinkCommand>();
        second.RuleFor(c => c.Description).Must(_ => false).WithMessage("second");
        var behaviour = new ValidationBehaviour<CreateTrackedLinkCommand, LinkDto>([first, second]);

        var ex = Assert.ThrowsAsync<ValidationException>(async () =>
            await behaviour.Handle(new CreateTrackedLinkCommand("https://example.com/", "LinkedIn"), Next<CreateTrackedLinkCommand>(), CancellationToken.None));

        Assert.That(ex.Errors["description"], Is.EqualTo(new[] { "first", "second" }));
    }

    [Test]
    public async Task Handle_WhenTheMessageIsValid_CallsTheHandlerOnceAndReturnsItsAnswer()
    {
        var behaviour = new ValidationBehaviour<CreateTrackedLinkCommand, LinkDto>([CreateLinkValidator()]);
        var command = new CreateTrackedLinkCommand("https://www.linkedin.com/in/jane-doe", "LinkedIn");

        var answer = await behaviour.Handle(command, Next<CreateTrackedLinkCommand>(), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer, Is.SameAs(Created));
            Assert.That(_nextCalls, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Handle_WhenThereIsNoValidator_CallsTheHandler()
    {
        var behaviour = new ValidationBehaviour<CreateTrackedLinkCommand, LinkDto>([]);

        var answer = await behaviour.Handle(new CreateTrackedLinkCommand(null, null), Next<CreateTrackedLinkCommand>(), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer, Is.SameAs(Created));
            Assert.That(_nextCalls, Is.EqualTo(1));
        }
    }

    private static CreateTrackedLinkCommandValidator CreateLinkValidator() =>
        new(new UrlPolicy(Options.Create(new SecurityOptions())), Options.Create(new LinkTrackingOptions()), Clock.AtStart());

    private MessageHandlerDelegate<TMessage, LinkDto> Next<TMessage>()
        where TMessage : notnull, IMessage =>
        Next<TMessage, LinkDto>(Created);

    private MessageHandlerDelegate<TMessage, TResponse> Next<TMessage, TResponse>(TResponse response)
        where TMessage : notnull, IMessage =>
        (_, _) =>
        {
            _nextCalls++;
            return ValueTask.FromResult(response);
        };

    private sealed class EveryClickNeedsATrackingId : AbstractValidator<RecordClicksCommand>
    {
        public EveryClickNeedsATrackingId() =>
            RuleForEach(c => c.Clicks).ChildRules(click => click.RuleFor(c => c!.TrackingId).NotEmpty());
    }
}
