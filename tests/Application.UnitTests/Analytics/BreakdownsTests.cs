using LinkTracking.Application.Analytics.Common;
using LinkTracking.Application.Common.Interfaces;

namespace LinkTracking.Application.UnitTests.Analytics;

public sealed class BreakdownsTests
{
    [Test]
    public void ToDto_NamesAClickWithoutCountryUnknown_AndListsEveryDeviceInContractOrder()
    {
        var raw = Raw(countries: [new("DE", 3), new(null, 2), new("FR", 0)], devices: [new("mobile", 4), new(null, 1)]);

        var dto = Breakdowns.ToDto(raw);

        Assert.Multiple(() =>
        {
            Assert.That(dto.Countries, Is.EqualTo(new Dictionary<string, int> { ["DE"] = 3, ["unknown"] = 2 }));
            Assert.That(dto.Devices.Keys, Is.EqualTo(new[] { "desktop", "mobile", "tablet", "bot", "other" }));
            Assert.That(dto.Devices["mobile"], Is.EqualTo(4));
            Assert.That(dto.Devices["other"], Is.EqualTo(1));
            Assert.That(dto.Devices["desktop"], Is.Zero);
        });
    }

    [Test]
    public void ToDto_KeepsTheTenMostClickedBrowsers_AndSumsTheRestUnknownAndUapOtherAsOther()
    {
        var browsers = Enumerable.Range(1, 12).Select(i => new ValueCount($"B{i:00}", 100 - i)).ToList();
        browsers.Add(new ValueCount(null, 5));
        browsers.Add(new ValueCount("Other", 7));

        var dto = Breakdowns.ToDto(Raw(browsers: browsers));

        Assert.Multiple(() =>
        {
            Assert.That(dto.Browsers.Keys.Take(10), Is.EqualTo(Enumerable.Range(1, 10).Select(i => $"B{i:00}")));
            Assert.That(dto.Browsers["other"], Is.EqualTo((100 - 11) + (100 - 12) + 5 + 7));
            Assert.That(dto.Browsers, Has.Count.EqualTo(11));
        });
    }

    [Test]
    public void ToDto_WithFewFamilies_HasNoOtherEntry()
    {
        var dto = Breakdowns.ToDto(Raw(os: [new("iOS", 2), new("Windows", 5)]));

        Assert.That(dto.OperatingSystems, Is.EqualTo(new Dictionary<string, int> { ["Windows"] = 5, ["iOS"] = 2 }));
    }

    [Test]
    public void Period_InAZoneAheadOfUtc_StartsAtLocalMidnightOfTheFirstDay()
    {
        var berlin = AnalyticsTimeZones.Find("Europe/Berlin");

        // 23:30 UTC on 27 July is already 28 July in Berlin (UTC+2 in summer).
        var period = AnalyticsPeriod.EndingAt(new DateTime(2025, 7, 27, 23, 30, 0, DateTimeKind.Utc), 2, berlin);

        Assert.Multiple(() =>
        {
            Assert.That(period.FirstDay, Is.EqualTo(new DateOnly(2025, 7, 27)));
            Assert.That(period.Start, Is.EqualTo(new DateTime(2025, 7, 26, 22, 0, 0, DateTimeKind.Utc)));
        });
    }

    [TestCase("Mars/Olympus_Mons")]
    [TestCase("../../etc/passwd")]
    [TestCase("Europe/Berlin; DROP")]
    public void TimeZone_ThatIsNoIanaName_IsRefused(string name) =>
        Assert.That(AnalyticsTimeZones.TryFind(name, out _), Is.False);

    [TestCase(null)]
    [TestCase("")]
    [TestCase("UTC")]
    [TestCase("America/New_York")]
    [TestCase("Asia/Kolkata")]
    public void TimeZone_ThatIsEmptyOrKnown_IsAccepted(string? name) =>
        Assert.That(AnalyticsTimeZones.TryFind(name, out _), Is.True);

    private static ClickBreakdowns Raw(
        List<ValueCount>? countries = null, List<ValueCount>? devices = null, List<ValueCount>? browsers = null, List<ValueCount>? os = null) =>
        new(countries ?? [], devices ?? [], browsers ?? [], os ?? [], new int[24], new int[7]);
}
