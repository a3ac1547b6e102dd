using System.Text.RegularExpressions;
using LinkTracking.Domain.Common;
using LinkTracking.Domain.Links;

namespace LinkTracking.Domain.UnitTests.Links;

public sealed partial class TrackingIdTests
{
    [Test]
    public void NewId_IsLtPrefixFollowedByTwelveLowercaseLettersOrDigits()
    {
        var id = TrackingId.NewId();

        Assert.That(id.Value, Does.Match(NewIdShape()));
    }

    [Test]
    public void NewId_IsAcceptedByItsOwnShapeCheck()
    {
        var id = TrackingId.NewId();

        Assert.That(TrackingId.IsWellFormed(id.Value), Is.True);
    }

    [Test]
    public void NewId_ManyIds_AreAllDistinct()
    {
        const int count = 20_000;

        var ids = Enumerable.Range(0, count).Select(_ => TrackingId.NewId().Value).ToHashSet(StringComparer.Ordinal);

        Assert.That(ids, Has.Count.EqualTo(count));
    }

    [Test]
    public void NewId_ManyIds_UseTheWholeAlphabetInEveryPosition()
    {
        // A generator that is not uniformly random (digits only, a fixed prefix, a counter) leaves gaps here.
        var ids = Enumerable.Range(0, 5_000).Select(_ => TrackingId.NewId().Value).ToList();

        var positions = Enumerable.Range(TrackingId.Prefix.Length, TrackingId.GeneratedLength)
            .Select(p => ids.Select(id => id[p]).Distinct().Count())
            .ToList();

        Assert.That(positions, Has.All.EqualTo(36));
    }

    [TestCase("lt_abcdefgh", ExpectedResult = true, TestName = "IsWellFormed_WhenBodyHas8Characters_IsTrue")]
    [TestCase("lt_abcdefg", ExpectedResult = false, TestName = "IsWellFormed_WhenBodyHas7Characters_IsFalse")]
    [TestCase("lt_abcdefghijklmnopqrstuvwxyz012345", ExpectedResult = true, TestName = "IsWellFormed_WhenBodyHas32Characters_IsTrue")]
    [TestCase("lt_abcdefghijklmnopqrstuvwxyz0123456", ExpectedResult = false, TestName = "IsWellFormed_WhenBodyHas33Characters_IsFalse")]
    [TestCase("lt_abc123def456", ExpectedResult = true, TestName = "IsWellFormed_WhenBodyMixesLettersAndDigits_IsTrue")]
    [TestCase("lt_ABCDEFGH", ExpectedResult = false, TestName = "IsWellFormed_WhenBodyIsUppercase_IsFalse")]
    [TestCase("lt_abcdEfgh", ExpectedResult = false, TestName = "IsWellFormed_WhenBodyHasOneUppercaseLetter_IsFalse")]
    [TestCase("LT_abcdefgh", ExpectedResult = false, TestName = "IsWellFormed_WhenPrefixIsUppercase_IsFalse")]
    [TestCase("xx_abcdefgh", ExpectedResult = false, TestName = "IsWellFormed_WhenPrefixIsWrong_IsFalse")]
    [TestCase("lt-abcdefgh", ExpectedResult = false, TestName = "IsWellFormed_WhenPrefixUsesDash_IsFalse")]
    [TestCase("abcdefghijk", ExpectedResult = false, TestName = "IsWellFormed_WhenPrefixIsMissing_IsFalse")]
    [TestCase("", ExpectedResult = false, TestName = "IsWellFormed_WhenEmpty_IsFalse")]
    [TestCase("lt_abcd_efgh", ExpectedResult = false, TestName = "IsWellFormed_WhenBodyHasUnderscore_IsFalse")]
    [TestCase("lt_abcdefgh ", ExpectedResult = false, TestName = "IsWellFormed_WhenTrailingSpace_IsFalse")]
    [TestCase("lt_abcdéfgh", ExpectedResult = false, TestName = "IsWellFormed_WhenBodyHasNonAsciiLetter_IsFalse")]
    [TestCase("lt_١٢٣٤٥٦٧٨", ExpectedResult = false, TestName = "IsWellFormed_WhenBodyHasNonAsciiDigits_IsFalse")]
    [TestCase("lt_abcd/../x", ExpectedResult = false, TestName = "IsWellFormed_WhenBodyHasPathCharacters_IsFalse")]
    public bool IsWellFormed(string value) => TrackingId.IsWellFormed(value);

    [Test]
    public void Parse_WhenMalformed_IsRejectedNamingTrackingId()
    {
        var ex = Assert.Throws<DomainRuleException>(() => TrackingId.Parse("lt_SHORT"));

        Assert.That(ex.Field, Is.EqualTo("tracking_id"));
    }

    [Test]
    public void Parse_WhenWellFormed_KeepsTheValue()
    {
        var id = TrackingId.Parse("lt_abc123def456");

        Assert.That(id.Value, Is.EqualTo("lt_abc123def456"));
    }

    [TestCase(null)]
    [TestCase("lt_x")]
    public void TryParse_WhenNullOrMalformed_ReturnsFalse(string? value)
    {
        var parsed = TrackingId.TryParse(value, out var id);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(parsed, Is.False);
            Assert.That(id, Is.Null);
        }
    }

    [GeneratedRegex("^lt_[a-z0-9]{12}$")]
    private static partial Regex NewIdShape();
}
