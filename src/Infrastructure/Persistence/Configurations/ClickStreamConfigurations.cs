using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Links;
using LinkTracking.Infrastructure.Streaming;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LinkTracking.Infrastructure.Persistence.Configurations;

public sealed class ClickStreamCursorConfiguration : IEntityTypeConfiguration<ClickStreamCursor>
{
    public void Configure(EntityTypeBuilder<ClickStreamCursor> builder)
    {
        builder.ToTable("click_stream_cursors");
        builder.HasKey(c => c.Name);
        builder.Property(c => c.Name).HasMaxLength(ClickStreamCursor.MaxNameLength);
        builder.Property(c => c.LeaseOwner).HasMaxLength(ClickStreamCursor.MaxLeaseOwnerLength);
    }
}

public sealed class ClickStreamOutboxMessageConfiguration : IEntityTypeConfiguration<ClickStreamOutboxMessage>
{
    public void Configure(EntityTypeBuilder<ClickStreamOutboxMessage> builder)
    {
        builder.ToTable("click_stream_outbox");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedOnAdd();
        builder.Property(m => m.TrackingId).HasMaxLength(TrackingId.MaxLength).IsRequired();
        builder.Property(m => m.BotCategory).HasMaxLength(BotCategories.MaxNameLength).IsRequired();
        builder.Property(m => m.Body).IsRequired();
    }
}
