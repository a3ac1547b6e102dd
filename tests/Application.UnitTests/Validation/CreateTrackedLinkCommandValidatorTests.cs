using FluentValidation.Results;
using LinkTracking.Application.Common.Options;
using LinkTracking.Application.Common.Security;
using LinkTracking.Application.Links.Commands.CreateTrackedLink;
using LinkTracking.Application.UnitTests.Support;
using Microsoft.Extensions.Options;

namespace LinkTracking.Application.UnitTests.Validation;

public sealed class CreateTrackedLinkCommandValidatorTests
{
    private const string Url = "https://www.linkedin.com/in/jane-doe";

    [Test]
    public void Validate_WhenEverythingIsGiven_IsValid()
    {
        var command = new CreateTrackedLinkCommand(Url, "LinkedIn", "profile", Guid.NewGuid(), Guid.NewGuid(), "Profile", "orchestrator");

        var result = Validator().Validate(command);

        Assert.That(result.IsValid, Is.True, () => string.Join("; ", result.Errors));
    }

    [TestCase(null)]
    [TestCase("")]
    public void Validate_WhenOriginalUrlIsMissing_NamesOriginalUrl(string? url)
    {
        var result = Validator().Validate(new CreateTrackedLinkCommand(url, "LinkedIn"));

        Assert.That(Fields(result), Is.EqualTo(new[] { "OriginalUrl" }));
    }

    [TestCase("javascript:alert(1)", "Only http and https URLs can be tracked.")]
    [TestCase("https://user:pass@example.com/", "The URL must not contain a user-info part.")]
    [TestCase("/relative", "Only http and https URLs can be tracked.")]
    [TestCase("https://intranet/", "The URL host must be a fully qualified domain name.")]
    [TestCase(@"https:\\evil.com", "The URL must not contain backslashes.")]
    [TestCase("https://example.com/\r\n", "The URL must not contain whitespace or control characters.")]
    public void Validate_WhenOriginalUrlBreaksARule_SaysWhichOne(string url, string message)
    {
        var result = Validator().Validate(new CreateTrackedLinkCommand(url, "LinkedIn"));

        Assert.That(Messages(result, "OriginalUrl"), Is.EqualTo(new[] { message }));
    }

    [Test]
    public void Validate_WhenOriginalUrlIsOver1000Characters_SaysSo()
    {
        var url = "https://example.com/" + new string('a', 981);

        var result = Validator().Validate(new CreateTrackedLinkCommand(url, "LinkedIn"));

        Assert.That(Messages(result, "OriginalUrl"), Is.EqualTo(new[] { "The URL must be at most 1000 characters." }));
    }

    [TestCase("http://203.0.113.5/")]
    [TestCase("http://[2001:db8::1]/")]
    [TestCase("http://2130706433/")]
    public void Validate_WhenHostIsAnIpAndIpHostsAreNotAllowed_IsRejected(string url)
    {
        var result = Validator().Validate(new CreateTrackedLinkCommand(url, "LinkedIn"));

        Assert.That(Messages(result, "OriginalUrl"), Is.EqualTo(new[] { "IP-address hosts are not allowed (Security:AllowIpHosts)." }));
    }

    [Test]
    public void Validate_WhenHostIsAnIpAndIpHostsAreAllowed_IsValid()
    {
        var security = new SecurityOptions { AllowIpHosts = true };

        var result = Validator(security).Validate(new CreateTrackedLinkCommand("http://203.0.113.5/", "LinkedIn"));

        Assert.That(result.IsValid, Is.True);
    }

    [TestCase("http://localhost/")]
    [TestCase("http://LOCALHOST:8080/admin")]
    [TestCase("http://localhost./")]
    [TestCase("https://app.localhost/")]
    [TestCase("https://a.b.localhost./")]
    public void Validate_WhenHostIsLocalhostAndIpHostsAreNotAllowed_IsRejected(string url)
    {
        var result = Validator().Validate(new CreateTrackedLinkCommand(url, "LinkedIn"));

        Assert.That(Messages(result, "OriginalUrl"), Is.EqualTo(new[] { "localhost hosts are not allowed (Security:AllowIpHosts)." }));
    }

    [TestCase("http://localhost/")]
    [TestCase("https://app.localhost./")]
    public void Validate_WhenHostIsLocalhostAndIpHostsAreAllowed_IsValid(string url)
    {
        var result = Validator(new SecurityOptions { AllowIpHosts = true }).Validate(new CreateTrackedLinkCommand(url, "LinkedIn"));

        Assert.That(result.IsValid, Is.True, () => string.Join("; ", result.Errors));
    }

    [TestCase("https://localhost.example.com/")]
    [TestCase("https://notlocalhost.com/")]
    public void Validate_WhenLocalhostIsOnlyPartOfTheName_IsValid(string url)
    {
        var result = Validator().Validate(new CreateTrackedLinkCommand(url, "LinkedIn"));

        Assert.That(result.IsValid, Is.True, () => string.Join("; ", result.Errors));
    }

    [TestCase("https://example.com/")]
    [TestCase("https://jobs.example.com/apply")]
    [TestCase("https://JOBS.Example.com/")]
    [TestCase("https://www.linkedin.com/in/jane")]
    [TestCase("https://example.com./")]
    public void Validate_WhenHostIsAnAllowedHostOrItsSubdomain_IsValid(string url)
    {
        var security = new SecurityOptions { AllowedHosts = { "example.com", "linkedin.com" } };

        var result = Validator(security).Validate(new CreateTrackedLinkCommand(url, "LinkedIn"));

        Assert.That(result.IsValid, Is.True, () => string.Join("; ", result.Errors));
    }

    [TestCase("https://evil.com/", "evil.com")]
    [TestCase("https://notexample.com/", "notexample.com")]
    [TestCase("https://example.com.evil.com/", "example.com.evil.com")]
    public void Validate_WhenHostIsNotInAllowedHosts_IsRejected(string url, string host)
    {
        var security = new SecurityOptions { AllowedHosts = { "example.com" } };

        var result = Validator(security).Validate(new CreateTrackedLinkCommand(url, "LinkedIn"));

        Assert.That(Messages(result, "OriginalUrl"), Is.EqualTo(new[] { $"The host '{host}' is not in Security:AllowedHosts." }));
    }

    [TestCase("https://evil.com/")]
    [TestCase("https://login.evil.com/")]
    [TestCase("https://EVIL.com/")]
    [TestCase("https://evil.com./")]
    [TestCase("https://login.evil.com./")]
    public void Validate_WhenHostIsDenied_IsRejected(string url)
    {
        var security = new SecurityOptions { DeniedHosts = { "evil.com" } };

        var result = Validator(security).Validate(new CreateTrackedLinkCommand(url, "LinkedIn"));

        Assert.That(Messages(result, "OriginalUrl").Single(), Does.EndWith("is denied (Security:DeniedHosts)."));
    }

    [Test]
    public void Validate_WhenTheDeniedHostIsConfiguredInUnicode_RefusesItsPunycodeForm()
    {
        // An operator who denies the Cyrillic look-alike of apple.com types it as it looks.
        var security = new SecurityOptions { DeniedHosts = { "\u0430pple.com" } };

        var result = Validator(security).Validate(new CreateTrackedLinkCommand("https://\u0430pple.com/login", "LinkedIn"));

        Assert.That(result.IsValid, Is.False);
    }

    [Test]
    public void Validate_WhenAHostIsBothAllowedAndDenied_IsRejected()
    {
        var security = new SecurityOptions { AllowedHosts = { "example.com" }, DeniedHosts = { "files.example.com" } };

        var result = Validator(security).Validate(new CreateTrackedLinkCommand("https://files.example.com/x", "LinkedIn"));

        Assert.That(result.IsValid, Is.False);
    }

    [Test]
    public void Validate_WhenDeniedHostIsOnlyASuffixOfTheHost_IsValid()
    {
        var security = new SecurityOptions { DeniedHosts = { "evil.com" } };

        var result = Validator(security).Validate(new CreateTrackedLinkCommand("https://notevil.com/", "LinkedIn"));

        Assert.That(result.IsValid, Is.True);
    }

    [TestCase(null)]
    [TestCase("")]
    public void Validate_WhenLinkFunctionIsMissing_NamesLinkFunction(string? function)
    {
        var result = Validator().Validate(new CreateTrackedLinkCommand(Url, function));

        Assert.That(Fields(result), Is.EqualTo(new[] { "LinkFunction" }));
    }

    [TestCase("Linked In")]
    [TestCase("LinkedIn!")]
    [TestCase("<b>")]
    public void Validate_WhenLinkFunctionIsMalformed_SaysWhatIsAllowed(string function)
    {
        var result = Validator().Validate(new CreateTrackedLinkCommand(Url, function));

        Assert.That(Messages(result, "LinkFunction"), Is.EqualTo(new[] { "A link function is 1 to 50 letters, digits, '_' or '-'." }));
    }

    [Test]
    public void Validate_WhenLinkFunctionIsOver50Characters_IsRejected()
    {
        var result = Validator().Validate(new CreateTrackedLinkCommand(Url, new string('a', 51)));

        Assert.That(Fields(result), Is.EqualTo(new[] { "LinkFunction" }));
    }

    [Test]
    public void Validate_WhenNoAllowedFunctionsAreConfigured_AcceptsAnyWellFormedFunction()
    {
        var result = Validator().Validate(new CreateTrackedLinkCommand(Url, "Team_Page-2"));

        Assert.That(result.IsValid, Is.True);
    }

    [Test]
    public void Validate_WhenAllowedFunctionsAreConfigured_RefusesOthersAndListsTheAllowedOnes()
    {
        var options = new LinkTrackingOptions { AllowedFunctions = { "LinkedIn", "Calendly" } };

        var result = Validator(linkTracking: options).Validate(new CreateTrackedLinkCommand(Url, "GitHub"));

        Assert.That(Messages(result, "LinkFunction"), Is.EqualTo(new[] { "This link function is not in LinkTracking:AllowedFunctions (LinkedIn, Calendly)." }));
    }

    [TestCase("LinkedIn", ExpectedResult = true)]
    [TestCase("Calendly", ExpectedResult = true)]
    [TestCase("linkedin", ExpectedResult = false)]
    public bool Validate_WhenAllowedFunctionsAreConfigured_AcceptsExactlyThem(string function)
    {
        var options = new LinkTrackingOptions { AllowedFunctions = { "LinkedIn", "Calendly" } };

        return Validator(linkTracking: options).Validate(new CreateTrackedLinkCommand(Url, function)).IsValid;
    }

    [Test]
    public void Validate_WhenLinkTypeIsUnknown_ListsTheKnownTypes()
    {
        var result = Validator().Validate(new CreateTrackedLinkCommand(Url, "LinkedIn", LinkType: "blog"));

        Assert.That(Messages(result, "LinkType"), Is.EqualTo(new[]
        {
            "A link type is one of: profile, job_posting, application, networking, document, external, internal, contact.",
        }));
    }

    [Test]
    public void Validate_WhenDescriptionIsOver1000Characters_NamesDescription()
    {
        var result = Validator().Validate(new CreateTrackedLinkCommand(Url, "LinkedIn", Description: new string('d', 1001)));

        Assert.That(Fields(result), Is.EqualTo(new[] { "Description" }));
    }

    [Test]
    public void Validate_WhenCreatedByIsOver100Characters_NamesCreatedBy()
    {
        var result = Validator().Validate(new CreateTrackedLinkCommand(Url, "LinkedIn", CreatedBy: new string('c', 101)));

        Assert.That(Fields(result), Is.EqualTo(new[] { "CreatedBy" }));
    }

    [Test]
    public void Validate_WhenDescriptionAndCreatedByAreAtTheirLimits_IsValid()
    {
        var command = new CreateTrackedLinkCommand(Url, "LinkedIn", Description: new string('d', 1000), CreatedBy: new string('c', 100));

        var result = Validator().Validate(command);

        Assert.That(result.IsValid, Is.True);
    }

    private static CreateTrackedLinkCommandValidator Validator(SecurityOptions? security = null, LinkTrackingOptions? linkTracking = null) =>
        new(new UrlPolicy(Options.Create(security ?? new SecurityOptions())), Options.Create(linkTracking ?? new LinkTrackingOptions()), Clock.AtStart());

    private static string[] Fields(ValidationResult result) => [.. result.Errors.Select(e => e.PropertyName).Distinct()];

    private static string[] Messages(ValidationResult result, string property) =>
        [.. result.Errors.Where(e => e.PropertyName == property).Select(e => e.ErrorMessage)];
}
