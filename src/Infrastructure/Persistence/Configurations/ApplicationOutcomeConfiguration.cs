using LinkTracking.Domain.Outcomes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LinkTracking.Infrastructure.Persistence.Configurations;

public sealed class ApplicationOutcomeConfiguration : IEntityTypeConfiguration<ApplicationOutcome>
{
    public void Configure(EntityTypeBuilder<ApplicationOutcome> builder)
    {
        builder.ToTable("application_outcomes");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Id).ValueGeneratedNever();
        builder.Property(o => o.Stage).HasMaxLength(OutcomeStage.MaxLength).IsRequired();
        builder.Property(o => o.EventId).HasMaxLength(ApplicationOutcome.MaxEventIdLength);
        builder.Property(o => o.Note).HasMaxLength(ApplicationOutcome.MaxNoteLength);
        // A retried report is stored once (NULLs are distinct on both providers: outcomes without event_id never collide).
        builder.HasIndex(o => new { o.ApplicationId, o.EventId }).IsUnique();
        // The list and the journey: an application's outcomes by occurred_at.
        builder.HasIndex(o => new { o.ApplicationId, o.OccurredAt });
        // The funnel: whether an application reached a stage, an index probe per application and stage.
        builder.HasIndex(o => new { o.ApplicationId, o.Stage });
    }
}
