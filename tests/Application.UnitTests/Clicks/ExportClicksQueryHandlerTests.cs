using System.Net;
using System.Runtime.CompilerServices;
using LinkTracking.Application.Clicks.Queries.ExportClicks;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Domain.Clicks;

namespace LinkTracking.Application.UnitTests.Clicks;

public sealed class ExportClicksQueryHandlerTests
{
    private static readonly DateTime At = new(2025, 7, 27, 14, 0, 0, DateTimeKind.Unspecified);

    [Test]
    public async Task Handle_MapsEachRowWithItsAddressMaskedAndSignalsSplit()
    {
        var export = new FakeExport(
            new ClickExportRow(Guid.NewGuid(), "lt_abcdefghijkl", At, "email", BotCategory.Scanner, "agent_list,burst", IPAddress.Parse("2001:db8:85a3::8a2e:370:7334"), "UA", "https://mail.google.com/", "s1"),
            new ClickExportRow(Guid.NewGuid(), "lt_abcdefghijkl", At, "direct", BotCategory.Human, null, IPAddress.Parse("203.0.113.9"), null, null, null));
        var handler = new ExportClicksQueryHandler(export);

        var result = await handler.Handle(new ExportClicksQuery(Format: "NDJSON", IncludeBots: true), CancellationToken.None);
        var rows = await result.Clicks.ToListAsync();

        Assert.Multiple(() =>
        {
            Assert.That(result.Format, Is.EqualTo(ExportFormats.Ndjson));
            Assert.That(rows[0].IpPartial, Is.EqualTo("2001:db8:85a3:*"));
            Assert.That(rows[0].BotCategory, Is.EqualTo("scanner"));
            Assert.That(rows[0].Signals, Is.EqualTo(new[] { "agent_list", "burst" }));
            Assert.That(rows[0].ClickedAt.Kind, Is.EqualTo(DateTimeKind.Utc));
            Assert.That(new[] { rows[0].Country, rows[0].DeviceType, rows[0].Browser, rows[0].Os }, Is.All.Null);
            Assert.That(rows[1].IpPartial, Is.EqualTo("203.0.113.*"));
            Assert.That(rows[1].Signals, Is.Empty);
            Assert.That(export.Filter, Is.EqualTo(new ClickExportFilter(IncludeBots: true)));
        });
    }

    [Test]
    public async Task Handle_ReadsNothingUntilTheExportIsEnumerated()
    {
        var export = new FakeExport();
        var handler = new ExportClicksQueryHandler(export);

        var result = await handler.Handle(new ExportClicksQuery(From: new DateTimeOffset(2025, 7, 27, 16, 0, 0, TimeSpan.FromHours(2))), CancellationToken.None);

        Assert.That(export.Filter, Is.Null);
        await result.Clicks.ToListAsync();
        Assert.That(export.Filter?.From, Is.EqualTo(new DateTime(2025, 7, 27, 14, 0, 0, DateTimeKind.Utc)));
    }

    private sealed class FakeExport(params ClickExportRow[] rows) : IClickExport
    {
        public ClickExportFilter? Filter { get; private set; }

        public async IAsyncEnumerable<ClickExportRow> ReadAsync(ClickExportFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Filter = filter;
            foreach (var row in rows)
            {
                await Task.Yield();
                yield return row;
            }
        }
    }
}
