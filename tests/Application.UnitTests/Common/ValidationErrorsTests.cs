using FluentValidation.Results;
using LinkTracking.Application.Common.Validation;

namespace LinkTracking.Application.UnitTests.Common;

public sealed class ValidationErrorsTests
{
    [TestCase("OriginalUrl", ExpectedResult = "original_url")]
    [TestCase("TrackingId", ExpectedResult = "tracking_id")]
    [TestCase("Clicks[0].TrackingId", ExpectedResult = "clicks[0].tracking_id")]
    [TestCase("Clicks[12].IpAddress", ExpectedResult = "clicks[12].ip_address")]
    [TestCase("JobData.CompanyWebsite", ExpectedResult = "job_data.company_website")]
    [TestCase("ExtraLinks[3].OriginalUrl", ExpectedResult = "extra_links[3].original_url")]
    [TestCase("", ExpectedResult = "")]
    public string ToWireName_IsSnakeCaseKeepingIndexes(string propertyPath) => ValidationErrors.ToWireName(propertyPath);

    [Test]
    public void ToDictionary_GroupsMessagesByWireNameWithoutRepeats()
    {
        ValidationFailure[] failures =
        [
            new("OriginalUrl", "The URL is required."),
            new("OriginalUrl", "The URL is required."),
            new("OriginalUrl", "Only http and https URLs can be tracked."),
            new("LinkFunction", "A link function is 1 to 50 letters, digits, '_' or '-'."),
        ];

        var errors = ValidationErrors.ToDictionary(failures);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(errors.Keys, Is.EquivalentTo(new[] { "original_url", "link_function" }));
            Assert.That(errors["original_url"], Is.EqualTo(new[] { "The URL is required.", "Only http and https URLs can be tracked." }));
        }
    }
}
