using LinkTracking.Application.Analytics.Queries.GetDailyTraffic;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.UnitTests.Support;
using LinkTracking.Domain.Clicks;
using Moq;

namespace LinkTracking.Application.UnitTests.Analytics;

public sealed class GetDailyTrafficQueryHandlerTests
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(Clock.Start.UtcDateTime);

    [Test]
    public async Task Handle_GivesEveryDayOfThePeriod_SplitIntoPeopleScannersAndOtherBots()
    {
        var activity = new Mock<ILinkActivityQueries>();
        activity.Setup(a => a.GetDailyClicksByCategoryAsync(It.IsAny<DateTime>(), It.IsAny<CancellationToken>())).ReturnsAsync(
        [
            new DailyCategoryClicks(Today.AddDays(-2), BotCategory.Human, 4),
            new DailyCategoryClicks(Today.AddDays(-2), BotCategory.Scanner, 3),
            new DailyCategoryClicks(Today, BotCategory.Crawler, 2),
            new DailyCategoryClicks(Today, BotCategory.Preview, 1),
            new DailyCategoryClicks(Today, BotCategory.Monitor, 5),
        ]);

        var traffic = await new GetDailyTrafficQueryHandler(activity.Object, Clock.AtStart()).Handle(new GetDailyTrafficQuery(3), CancellationToken.None);

        Assert.That(traffic.Days, Is.EqualTo(new[]
        {
            new DayTrafficDto(Today.AddDays(-2), 4, 3, 0),
            new DayTrafficDto(Today.AddDays(-1), 0, 0, 0),
            new DayTrafficDto(Today, 0, 0, 8),
        }));
        activity.Verify(a => a.GetDailyClicksByCategoryAsync(Today.AddDays(-2).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), It.IsAny<CancellationToken>()));
    }
}
