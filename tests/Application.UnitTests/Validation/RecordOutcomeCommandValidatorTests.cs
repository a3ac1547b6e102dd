using LinkTracking.Application.Outcomes.Commands.RecordOutcome;
using Microsoft.Extensions.Time.Testing;

namespace LinkTracking.Application.UnitTests.Validation;

public sealed class RecordOutcomeCommandValidatorTests
{
    private static readonly DateTimeOffset Now = new(2025, 7, 27, 15, 0, 0, TimeSpan.Zero);

    [TestCase("applied")]
    [TestCase("interview")]
    [TestCase("no_response")]
    public void Validate_WithAKnownStageAndNoTime_IsValid(string stage)
    {
        var result = Validator().Validate(new RecordOutcomeCommand(Guid.NewGuid(), stage));

        Assert.That(result.IsValid, Is.True, () => string.Join("; ", result.Errors));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("Interview")]
    [TestCase("ghosted")]
    public void Validate_WithAnUnknownStage_NamesStage(string? stage)
    {
        var result = Validator().Validate(new RecordOutcomeCommand(Guid.NewGuid(), stage));

        Assert.That(Fields(result), Is.EqualTo(new[] { "Stage" }));
    }

    [Test]
    public void Validate_WhenOccurredAtIsFiveMinutesAhead_IsValid_AndOneSecondMoreIsNot()
    {
        var atLimit = Validator().Validate(new RecordOutcomeCommand(Guid.NewGuid(), "offer", Now + TimeSpan.FromMinutes(5)));
        var beyond = Validator().Validate(new RecordOutcomeCommand(Guid.NewGuid(), "offer", Now + TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1)));

        Assert.That(atLimit.IsValid, Is.True, () => string.Join("; ", atLimit.Errors));
        Assert.That(Fields(beyond), Is.EqualTo(new[] { "OccurredAt" }));
    }

    [Test]
    public void Validate_WhenOccurredAtIsYearsAgo_IsValid()
    {
        var result = Validator().Validate(new RecordOutcomeCommand(Guid.NewGuid(), "hired", Now - TimeSpan.FromDays(3 * 365)));

        Assert.That(result.IsValid, Is.True, () => string.Join("; ", result.Errors));
    }

    [Test]
    public void Validate_WhenNoteIsTooLongOrEventIdEmpty_NamesBoth()
    {
        var result = Validator().Validate(new RecordOutcomeCommand(Guid.NewGuid(), "replied", EventId: "", Note: new string('n', 1001)));

        Assert.That(Fields(result), Is.EquivalentTo(new[] { "EventId", "Note" }));
    }

    [Test]
    public void Validate_WithoutApplicationId_NamesIt()
    {
        var result = Validator().Validate(new RecordOutcomeCommand(Guid.Empty, "replied"));

        Assert.That(Fields(result), Is.EqualTo(new[] { "ApplicationId" }));
    }

    private static RecordOutcomeCommandValidator Validator() => new(new FakeTimeProvider(Now));

    private static string[] Fields(FluentValidation.Results.ValidationResult result) =>
        [.. result.Errors.Select(e => e.PropertyName).Distinct()];
}
