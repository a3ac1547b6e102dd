using LinkTracking.Application.Links.Queries.ListLinks;

namespace LinkTracking.Application.UnitTests.Validation;

public sealed class ListLinksQueryValidatorTests
{
    private readonly ListLinksQueryValidator _validator = new();

    [TestCase(1, ExpectedResult = true)]
    [TestCase(50, ExpectedResult = true)]
    [TestCase(200, ExpectedResult = true)]
    [TestCase(0, ExpectedResult = false)]
    [TestCase(-1, ExpectedResult = false)]
    [TestCase(201, ExpectedResult = false)]
    public bool Validate_PageSizeIsOneTo200(int pageSize) => _validator.Validate(new ListLinksQuery(PageSize: pageSize)).IsValid;

    [Test]
    public void Validate_WhenPageSizeIsOutOfRange_NamesPageSize()
    {
        var result = _validator.Validate(new ListLinksQuery(PageSize: 201));

        Assert.That(result.Errors.Select(e => e.PropertyName), Is.EqualTo(new[] { "PageSize" }));
    }

    [TestCase(0)]
    [TestCase(-5)]
    public void Validate_WhenPageIsBelowOne_NamesPage(int page)
    {
        var result = _validator.Validate(new ListLinksQuery(Page: page));

        Assert.That(result.Errors.Select(e => e.PropertyName), Is.EqualTo(new[] { "Page" }));
    }

    [Test]
    public void Validate_TheDefaults_AreValid()
    {
        var result = _validator.Validate(new ListLinksQuery());

        Assert.That(result.IsValid, Is.True);
    }

    [Test]
    public void Validate_WhenLinkFunctionFilterIsMalformed_NamesLinkFunction()
    {
        var result = _validator.Validate(new ListLinksQuery(LinkFunction: "Linked In"));

        Assert.That(result.Errors.Select(e => e.PropertyName), Is.EqualTo(new[] { "LinkFunction" }));
    }
}
