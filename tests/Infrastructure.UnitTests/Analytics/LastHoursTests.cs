using LinkTracking.Infrastructure.Analytics.Rollups;

namespace LinkTracking.Infrastructure.UnitTests.Analytics;

/// <summary>What a change of the link rollups does to the links' last hours: new clicks move them up, lost clicks make them recounted.</summary>
public sealed class LastHoursTests
{
    private static readonly DateTime Noon = new(2025, 7, 27, 12, 0, 0, DateTimeKind.Utc);

    [Test]
    public void NewClicks_GiveTheLatestHourWithAHumanClick_AndWithAnyClick()
    {
        var changes = LastHours.Of(
        [
            Category("lt_b", Noon, human: 2),
            Category("lt_b", Noon.AddHours(3), bot: 1),
            Category("lt_b", Noon.AddHours(1), human: 1),
            new RollupChange("lt_b", Noon.AddHours(5), RollupDimensions.Country, "DE", 1, 0),
            Category("lt_a", Noon.AddHours(2), bot: 4),
        ]);

        Assert.That(changes, Is.EqualTo(new[]
        {
            new LastHoursChange("lt_a", null, Noon.AddHours(2), Recount: false),
            new LastHoursChange("lt_b", Noon.AddHours(1), Noon.AddHours(3), Recount: false),
        }), "in the links' order; other dimensions repeat the category rows and are left out");
    }

    [Test]
    public void ALinkThatLostAClickAnywhere_IsRecounted()
    {
        // A reclassification: the hour's human click becomes a bot click, in another category.
        var changes = LastHours.Of(
        [
            Category("lt_a", Noon.AddHours(4), human: 1),
            Category("lt_a", Noon, human: -1),
            new RollupChange("lt_a", Noon, RollupDimensions.Category, "scanner", 0, 1),
            Category("lt_a", Noon.AddHours(6), human: 1),
        ]);

        Assert.That(changes, Is.EqualTo(new[] { new LastHoursChange("lt_a", null, null, Recount: true) }));
    }

    private static RollupChange Category(string link, DateTime hour, int human = 0, int bot = 0) =>
        new(link, hour, RollupDimensions.Category, "none", human, bot);
}
