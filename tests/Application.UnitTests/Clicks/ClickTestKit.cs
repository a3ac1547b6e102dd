using LinkTracking.Application.Clicks.Classification;
using LinkTracking.Application.Clicks.Common;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Models;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace LinkTracking.Application.UnitTests.Clicks;

/// <summary>The ports of the click use cases, mocked, with the links the cache knows and the clicks recorded.</summary>
public sealed class ClickTestKit
{
    public const string ActiveId = "lt_active00001";
    public const string InactiveId = "lt_inactive001";
    public const string UnknownId = "lt_unknown0001";
    public const string Destination = "https://www.linkedin.com/in/jane-doe";

    public ClickTestKit()
    {
        Cache.Setup(c => c.GetAsync(It.IsAny<TrackingId>(), It.IsAny<CancellationToken>())).ReturnsAsync((LinkTarget?)null);
        Cache.Setup(c => c.GetAsync(TrackingId.Parse(ActiveId), It.IsAny<CancellationToken>())).ReturnsAsync(new LinkTarget(ActiveId, Destination, IsActive: true, SentAt));
        Cache.Setup(c => c.GetAsync(TrackingId.Parse(InactiveId), It.IsAny<CancellationToken>())).ReturnsAsync(new LinkTarget(InactiveId, Destination, IsActive: false));
        Classifier.Setup(c => c.Classify(It.IsAny<ClickFacts>()))
            .Callback<ClickFacts>(Facts.Add)
            .Returns(() => Classification);
        Networks.Setup(n => n.Lookup(It.IsAny<System.Net.IPAddress>())).Returns(NetworkInfo.Unknown);
        Enricher.Setup(e => e.Enrich(It.IsAny<System.Net.IPAddress?>(), It.IsAny<string?>())).Returns(ClickEnrichment.Unknown);
        Recorder.Setup(r => r.RecordAsync(It.IsAny<LinkClick>(), It.IsAny<CancellationToken>()))
            .Callback<LinkClick, CancellationToken>((click, _) => Recorded.Add(click))
            .Returns(ValueTask.CompletedTask);
        Recorder.Setup(r => r.RecordManyAsync(It.IsAny<IReadOnlyList<LinkClick>>(), It.IsAny<CancellationToken>()))
            .Callback<IReadOnlyList<LinkClick>, CancellationToken>((clicks, _) => Batches.Add([.. clicks]))
            .Returns(ValueTask.CompletedTask);
        Recorder.Setup(r => r.TryAdmit(It.IsAny<int>())).Returns(() => !OverDiskBudget);
        StoredEvents.Setup(s => s.FindAsync(It.IsAny<IReadOnlyCollection<Guid>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IReadOnlyCollection<Guid> ids, CancellationToken _) => Stored.Where(r => ids.Contains(r.Key)).ToDictionary());
    }

    /// <summary>Clicks the database holds, by id, as <see cref="IStoredClickEvents"/> answers them.</summary>
    public Dictionary<Guid, ClickReceipt> Stored { get; } = [];

    public Mock<IStoredClickEvents> StoredEvents { get; } = new();

    /// <summary>This process's memory of recent partner events (one per kit: a fresh process).</summary>
    public PartnerEvents Events { get; } = new(Microsoft.Extensions.Logging.Abstractions.NullLogger<PartnerEvents>.Instance);

    /// <summary>When true, the recorder refuses partner clicks (its spool is over its disk budget).</summary>
    public bool OverDiskBudget { get; set; }

    public Mock<ILinkCache> Cache { get; } = new();

    public Mock<IClickRecorder> Recorder { get; } = new();

    public Mock<IClickClassifier> Classifier { get; } = new();

    public Mock<INetworkLookup> Networks { get; } = new();

    public Mock<LinkTracking.Application.Clicks.Enrichment.IClickEnricher> Enricher { get; } = new();

    /// <summary>What the classifier answers (human unless a test says otherwise).</summary>
    public ClickClassification Classification { get; set; } = ClickClassification.Human;

    /// <summary>The facts the classifier was given, one per click.</summary>
    public List<ClickFacts> Facts { get; } = [];

    /// <summary>The active link's <c>sent_at</c>.</summary>
    public static readonly DateTime SentAt = new(2025, 7, 27, 20, 0, 0, DateTimeKind.Utc);

    public FakeTimeProvider Clock { get; } = Support.Clock.AtStart();

    public LinkTrackingOptions Options { get; } = new() { DashboardHosts = { "dashboard.example.com" } };

    /// <summary>Clicks passed to <see cref="IClickRecorder.RecordAsync"/>.</summary>
    public List<LinkClick> Recorded { get; } = [];

    /// <summary>Each call of <see cref="IClickRecorder.RecordManyAsync"/>.</summary>
    public List<List<LinkClick>> Batches { get; } = [];

    public ClickFactory ClickFactory() => new(Microsoft.Extensions.Options.Options.Create(Options), Classifier.Object, Networks.Object, Enricher.Object, Application.Clicks.Labels.NoOriginRules.Instance);

    public PartnerClicks PartnerClicks() => new(Cache.Object, ClickFactory(), Clock);
}
