using LinkTracking.Domain.ApiKeys;
using LinkTracking.Tests.Shared;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Infrastructure.IntegrationTests.Persistence;

/// <summary>The reset every fixture relies on (Respawn): data of every table goes, the API keys and the schema stay.</summary>
public sealed class TestDatabaseResetTests(TestProvider provider) : DatabaseFixture(provider)
{
    [Test]
    public async Task Reset_EmptiesLinksClicksAndRollups_AndKeepsTheApiKeys()
    {
        var link = TestData.Link();
        await TestData.SaveLinksAsync(Database, link);
        await TestData.SaveClicksAsync(Database, TestData.Click(link));
        await using (var db = Database.CreateContext())
        {
            db.ApiKeys.Add(ApiKey.Create("kept", [Scope.Admin], new string('a', 64), "ltk_kept", TestData.Now));
            await db.SaveChangesAsync();
        }

        await Database.ResetAsync();

        await using var after = Database.CreateContext();
        Assert.Multiple(async () =>
        {
            Assert.That(await after.Links.CountAsync(), Is.Zero);
            Assert.That(await after.Clicks.CountAsync(), Is.Zero);
            Assert.That(await after.ClickRollups.CountAsync(), Is.Zero);
            Assert.That(await after.ApiKeys.Select(k => k.Name).ToListAsync(), Is.EqualTo(new[] { "kept" }));
        });
    }
}
