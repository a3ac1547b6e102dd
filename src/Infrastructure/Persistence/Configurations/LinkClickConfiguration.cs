using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LinkTracking.Infrastructure.Persistence.Configurations;

public sealed class LinkClickConfiguration : IEntityTypeConfiguration<LinkClick>
{
    public const string SeqColumn = "Seq";

    public void Configure(EntityTypeBuilder<LinkClick> builder)
    {
        builder.ToTable("link_clicks");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.TrackingId)
            .HasConversion(v => v.Value, v => TrackingId.Parse(v))
            .HasMaxLength(TrackingId.MaxLength)
            .IsRequired();
        // No foreign key to link_tracking: clicks are only recorded for links the service has just resolved, links
        // are never deleted, and on PostgreSQL the per-row FOR KEY SHARE lock of a foreign key on one hot link
        // row turned every concurrent click batch into multixact work (ADR 0005).
        builder.Property(c => c.UserAgent).HasMaxLength(LinkClick.MaxUserAgentLength);
        builder.Property(c => c.ReferrerUrl).HasMaxLength(LinkClick.MaxReferrerLength);
        builder.Property(c => c.SessionId).HasMaxLength(LinkClick.MaxSessionIdLength);
        builder.Property(c => c.ClickSource).HasMaxLength(ClickSource.MaxLength).IsRequired();
        builder.Property(c => c.EventId).HasMaxLength(LinkClick.MaxEventIdLength);
        builder.Property(c => c.BotReason).HasMaxLength(LinkClick.MaxBotReasonLength);
        builder.Property(c => c.BotCategory)
            .HasConversion(v => v.Name(), v => ParseCategory(v))
            .HasMaxLength(BotCategories.MaxNameLength)
            .IsRequired()
            // The rollups count a click under its category: a reclassification must not count a change made meanwhile.
            .IsConcurrencyToken();
        builder.Property(c => c.Signals).HasMaxLength(ClickSignals.MaxStoredLength);
        builder.Property(c => c.Origin).HasMaxLength(LinkClick.MaxOriginLength);
        builder.Ignore(c => c.Classification);
        builder.Property(c => c.Country).HasMaxLength(ClickEnrichment.CountryLength).IsFixedLength(false);
        builder.Property(c => c.DeviceType)
            .HasConversion(v => v.HasValue ? v.Value.Name() : null, v => ParseDevice(v))
            .HasMaxLength(DeviceTypes.MaxNameLength);
        builder.Property(c => c.Browser).HasMaxLength(ClickEnrichment.MaxFamilyLength);
        builder.Property(c => c.Os).HasMaxLength(ClickEnrichment.MaxFamilyLength);
        builder.Ignore(c => c.Enrichment);
        builder.Property(c => c.Variant).HasMaxLength(LinkVariant.MaxKeyLength);

        // The order of writing, which the rollup worker counts by (ADR 0021): PostgreSQL takes it from the sequence
        // link_clicks_seq, SQLite's writer from click_rollup_state.last_seq. Not part of the domain.
        builder.Property<long>(SeqColumn).HasColumnName("seq");
        builder.HasIndex(SeqColumn);

        // Per-link statistics and timelines, the report's period scan, and idempotency of partner events.
        builder.HasIndex(c => new { c.TrackingId, c.ClickedAt });
        builder.HasIndex(c => c.ClickedAt);
        // Bursts and decoys: one origin's clicks around a time (the reclassification after each write).
        builder.HasIndex(c => new { c.Origin, c.ClickedAt });
        // A link's breakdown by A/B variant; only clicks of links with variants are in it (ADR 0025).
        builder.HasIndex(c => new { c.TrackingId, c.Variant })
            .HasFilter("variant IS NOT NULL");
        builder.HasIndex(c => new { c.TrackingId, c.EventId })
            .IsUnique()
            .HasFilter("event_id IS NOT NULL");
    }

    private static DeviceType? ParseDevice(string? name) => name is null ? null : DeviceTypes.TryParse(name, out var device) ? device : DeviceType.Other;

    private static BotCategory ParseCategory(string name) => BotCategories.TryParse(name, out var category) ? category : BotCategory.Scanner;
}
