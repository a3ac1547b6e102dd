using System.Net;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.Clicks;
using LinkTracking.Tests.Shared;
using Microsoft.EntityFrameworkCore;

namespace LinkTracking.Resilience.Tests;

/// <summary>
/// <c>spool move --dir</c>: the acknowledged clicks a node that never comes back left in its spool reach the database,
/// exactly once, by the real command against real PostgreSQL.
/// </summary>
public sealed class SpoolMoveTests
{
    [Test]
    public async Task SpoolMove_OfADeadNodesSpool_StoresEveryClickOnce_AndASecondRunMovesNothing()
    {
        await using var database = await TestDatabase.CreateAsync(TestProvider.Postgres);
        var work = Directory.CreateTempSubdirectory("linktracking-spool-move-").FullName;
        var orphan = Path.Combine(work, "node3-spool");
        var link = TrackedLink.Create(TrackingId.NewId(), TargetUrl.Create("https://example.com/"), "LinkedIn", null, null, null, null, null, DateTime.UtcNow);
        await using (var db = database.CreateContext())
        {
            db.Links.Add(link);
            await db.SaveChangesAsync();
        }

        var clicks = Enumerable.Range(0, 120).Select(i => LinkClick.Record(new ClickDetails(
            link.TrackingId, DateTime.UtcNow.AddSeconds(-i), IPAddress.Parse("203.0.113.7"), "Mozilla/5.0", null, $"s{i}", ClickSource.Direct, null, null, null))).ToList();
        using (var spool = new ClickSpool(orphan, maxSegmentBytes: 4096))
        {
            spool.Append(clicks.Take(70).ToList());
            spool.Append(clicks.Skip(70).ToList());
        }

        await using (var db = database.CreateContext())
        {
            // One of them already reached the database before the node died: it must not be stored twice.
            db.Clicks.Add(clicks[0]);
            await db.SaveChangesAsync();
        }

        var (first, firstOutput) = await CommandLineTests.RunCliAsync(database.ConnectionString, work, "spool", "move", "--dir", orphan);
        var (second, secondOutput) = await CommandLineTests.RunCliAsync(database.ConnectionString, work, "spool", "move", "--dir", orphan);
        var (missing, _) = await CommandLineTests.RunCliAsync(database.ConnectionString, work, "spool", "move", "--dir", Path.Combine(work, "nowhere"));

        await using var check = database.CreateContext();
        var stored = await check.Clicks.Where(c => c.TrackingId == link.TrackingId).Select(c => c.Id).ToListAsync();
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.Zero, firstOutput);
            Assert.That(firstOutput, Does.Contain("moved 120 clicks"));
            Assert.That(stored, Is.EquivalentTo(clicks.Select(c => c.Id)), "every spooled click once");
            Assert.That(Directory.GetFiles(orphan, "*" + ClickSpool.Extension), Is.Empty, "moved segments are deleted");
            Assert.That(second, Is.Zero);
            Assert.That(secondOutput, Does.Contain("moved 0 clicks"));
            Assert.That(missing, Is.EqualTo(1));
        });
        Directory.Delete(work, recursive: true);
    }
}
