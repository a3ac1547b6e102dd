using System.Text.Json;
using FluentValidation.Results;
using LinkTracking.Application.Clicks.Commands.RecordClick;
using LinkTracking.Application.UnitTests.Support;
using Microsoft.Extensions.Time.Testing;

namespace LinkTracking.Application.UnitTests.Validation;

public sealed class RecordClickCommandValidatorTests
{
    private const string TrackingId = "lt_abc123def456";

    private FakeTimeProvider _clock = null!;
    private RecordClickCommandValidator _validator = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = Clock.AtStart();
        _validator = new RecordClickCommandValidator(_clock);
    }

    [Test]
    public void Validate_WithOnlyATrackingId_IsValid()
    {
        var result = _validator.Validate(new RecordClickCommand(TrackingId));

        Assert.That(result.IsValid, Is.True);
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("lt_SHORT")]
    [TestCase("abc123def456")]
    public void Validate_WhenTrackingIdIsMissingOrMalformed_NamesTrackingId(string? trackingId)
    {
        var result = _validator.Validate(new RecordClickCommand(trackingId));

        Assert.That(Fields(result), Is.EqualTo(new[] { "TrackingId" }));
    }

    [Test]
    public void Validate_WhenClickedAtIsFiveMinutesAhead_IsValid()
    {
        var result = _validator.Validate(new RecordClickCommand(TrackingId, ClickedAt: _clock.GetUtcNow().AddMinutes(5)));

        Assert.That(result.IsValid, Is.True);
    }

    [Test]
    public void Validate_WhenClickedAtIsMoreThanFiveMinutesAhead_IsRejected()
    {
        var result = _validator.Validate(new RecordClickCommand(TrackingId, ClickedAt: _clock.GetUtcNow().AddMinutes(5).AddSeconds(1)));

        Assert.That(Messages(result, "ClickedAt"), Is.EqualTo(new[] { "clicked_at must not be more than 5 minutes in the future." }));
    }

    [Test]
    public void Validate_WhenClickedAtIsAheadInAnotherTimeZoneButNotInUtc_IsValid()
    {
        // 23:18+02:00 is 21:18Z: three minutes ahead, whatever the wall clock says.
        var clickedAt = new DateTimeOffset(2025, 7, 27, 23, 18, 30, TimeSpan.FromHours(2));

        var result = _validator.Validate(new RecordClickCommand(TrackingId, ClickedAt: clickedAt));

        Assert.That(result.IsValid, Is.True);
    }

    [Test]
    public void Validate_UsesTheCurrentTimeNotTheTimeItWasBuilt()
    {
        var clickedAt = _clock.GetUtcNow().AddMinutes(10);
        _clock.Advance(TimeSpan.FromMinutes(6));

        var result = _validator.Validate(new RecordClickCommand(TrackingId, ClickedAt: clickedAt));

        Assert.That(result.IsValid, Is.True);
    }

    [Test]
    public void Validate_WhenClickedAtIsInThePast_IsValid()
    {
        var result = _validator.Validate(new RecordClickCommand(TrackingId, ClickedAt: _clock.GetUtcNow().AddDays(-30)));

        Assert.That(result.IsValid, Is.True);
    }

    [TestCase("203.0.113.9")]
    [TestCase("0.0.0.0")]
    [TestCase("255.255.255.255")]
    [TestCase("::1")]
    [TestCase("2001:db8::1")]
    [TestCase("2001:db8:85a3:8d3:1319:8a2e:370:7348")]
    [TestCase("::ffff:203.0.113.9")]
    public void Validate_WhenIpAddressIsAnIpv4OrIpv6Address_IsValid(string ipAddress)
    {
        var result = _validator.Validate(new RecordClickCommand(TrackingId, IpAddress: ipAddress));

        Assert.That(result.IsValid, Is.True);
    }

    [TestCase("1")]
    [TestCase("0x7f")]
    [TestCase("0x7f.0.0.1")]
    [TestCase("2130706433")]
    [TestCase("203.0.113")]
    [TestCase("203.0.113.9.1")]
    [TestCase("256.0.0.1")]
    [TestCase("010.0.0.1")]
    [TestCase("00203.0.113.9")]
    [TestCase(" 203.0.113.9")]
    [TestCase("localhost")]
    [TestCase("")]
    public void Validate_WhenIpAddressIsNotAPlainAddress_IsRejected(string ipAddress)
    {
        var result = _validator.Validate(new RecordClickCommand(TrackingId, IpAddress: ipAddress));

        Assert.That(Messages(result, "IpAddress"), Is.EqualTo(new[] { "ip_address must be an IPv4 or IPv6 address." }));
    }

    [TestCase("UserAgent", 1000)]
    [TestCase("ReferrerUrl", 1000)]
    [TestCase("SessionId", 100)]
    [TestCase("ClickSource", 50)]
    [TestCase("EventId", 100)]
    public void Validate_WhenATextFieldIsOverItsLimit_NamesIt(string field, int limit)
    {
        var atLimit = WithText(field, new string('x', limit));
        var overLimit = WithText(field, new string('x', limit + 1));

        var accepted = _validator.Validate(atLimit);
        var rejected = _validator.Validate(overLimit);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(accepted.IsValid, Is.True);
            Assert.That(Fields(rejected), Is.EqualTo(new[] { field }));
        }
    }

    [TestCase("""{"utm_source":"newsletter","nested":{"a":[1,2]}}""")]
    [TestCase("{}")]
    [TestCase("null")]
    public void Validate_WhenMetadataIsAnObjectOrNull_IsValid(string json)
    {
        var result = _validator.Validate(new RecordClickCommand(TrackingId, Metadata: Json(json)));

        Assert.That(result.IsValid, Is.True);
    }

    [TestCase("[1,2,3]")]
    [TestCase("\"text\"")]
    [TestCase("42")]
    [TestCase("true")]
    public void Validate_WhenMetadataIsNotAnObject_IsRejected(string json)
    {
        var result = _validator.Validate(new RecordClickCommand(TrackingId, Metadata: Json(json)));

        Assert.That(Messages(result, "Metadata"), Is.EqualTo(new[] { "metadata must be a JSON object." }));
    }

    [Test]
    public void Validate_WhenMetadataIsExactly8KiB_IsValid()
    {
        var result = _validator.Validate(new RecordClickCommand(TrackingId, Metadata: MetadataOfLength(8 * 1024)));

        Assert.That(result.IsValid, Is.True);
    }

    [Test]
    public void Validate_WhenMetadataIsOver8KiB_IsRejected()
    {
        var result = _validator.Validate(new RecordClickCommand(TrackingId, Metadata: MetadataOfLength((8 * 1024) + 1)));

        Assert.That(Messages(result, "Metadata"), Is.EqualTo(new[] { "metadata must be at most 8192 bytes of JSON." }));
    }

    private static RecordClickCommand WithText(string field, string value) => field switch
    {
        "UserAgent" => new RecordClickCommand(TrackingId, UserAgent: value),
        "ReferrerUrl" => new RecordClickCommand(TrackingId, ReferrerUrl: value),
        "SessionId" => new RecordClickCommand(TrackingId, SessionId: value),
        "ClickSource" => new RecordClickCommand(TrackingId, ClickSource: value),
        "EventId" => new RecordClickCommand(TrackingId, EventId: value),
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    private static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static JsonElement MetadataOfLength(int length)
    {
        const string shell = """{"k":""}""";
        var json = shell.Insert(6, new string('m', length - shell.Length));
        Assert.That(json, Has.Length.EqualTo(length));
        return Json(json);
    }

    private static string[] Fields(ValidationResult result) => [.. result.Errors.Select(e => e.PropertyName).Distinct()];

    private static string[] Messages(ValidationResult result, string property) =>
        [.. result.Errors.Where(e => e.PropertyName == property).Select(e => e.ErrorMessage)];
}
