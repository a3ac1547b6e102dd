using LinkTracking.Application.Clicks.Queries.ExportClicks;

namespace LinkTracking.Application.UnitTests.Clicks;

public sealed class ExportClicksQueryValidatorTests
{
    private static readonly DateTimeOffset Noon = new(2025, 7, 27, 12, 0, 0, TimeSpan.Zero);

    private readonly ExportClicksQueryValidator _validator = new();

    [TestCase("csv")]
    [TestCase("ndjson")]
    [TestCase("CSV")]
    public void Validate_KnownFormat_Passes(string format)
    {
        var result = _validator.Validate(new ExportClicksQuery(format));

        Assert.That(result.IsValid, Is.True);
    }

    [TestCase("xlsx")]
    [TestCase("")]
    [TestCase(null)]
    public void Validate_UnknownFormat_NamesFormat(string? format)
    {
        var result = _validator.Validate(new ExportClicksQuery(format));

        Assert.That(result.Errors.Select(e => e.PropertyName), Is.EqualTo(new[] { "Format" }));
    }

    [Test]
    public void Validate_FromAfterTo_NamesBoth()
    {
        var result = _validator.Validate(new ExportClicksQuery(From: Noon, To: Noon.AddTicks(-1)));

        Assert.That(result.Errors.Select(e => e.PropertyName), Is.EquivalentTo(new[] { "From", "To" }));
    }

    [Test]
    public void Validate_FromEqualToTo_Passes()
    {
        var result = _validator.Validate(new ExportClicksQuery(From: Noon, To: Noon));

        Assert.That(result.IsValid, Is.True);
    }

    [Test]
    public void Validate_MalformedTrackingId_NamesIt()
    {
        var result = _validator.Validate(new ExportClicksQuery(TrackingId: "LT_NOPE"));

        Assert.That(result.Errors.Select(e => e.PropertyName), Is.EqualTo(new[] { "TrackingId" }));
    }
}
