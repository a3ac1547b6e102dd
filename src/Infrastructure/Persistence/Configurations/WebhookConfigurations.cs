using LinkTracking.Domain.Webhooks;
using LinkTracking.Infrastructure.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LinkTracking.Infrastructure.Persistence.Configurations;

public sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> builder)
    {
        builder.ToTable("webhook_subscriptions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Url).HasMaxLength(WebhookSubscription.MaxUrlLength).IsRequired();
        builder.Property(s => s.Events).HasMaxLength(WebhookSubscription.MaxEvents * (WebhookEventTypes.MaxLength + 1)).IsRequired();
        builder.Property(s => s.ProtectedSecret).HasMaxLength(1000).IsRequired();
        builder.Property(s => s.DisabledReason).HasMaxLength(WebhookSubscription.MaxReasonLength);
        builder.Ignore(s => s.EventList);
    }
}

public sealed class WebhookOutboxMessageConfiguration : IEntityTypeConfiguration<WebhookOutboxMessage>
{
    public void Configure(EntityTypeBuilder<WebhookOutboxMessage> builder)
    {
        builder.ToTable("webhook_outbox");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.EventId).HasMaxLength(WebhookOutboxMessage.MaxEventIdLength).IsRequired();
        builder.Property(m => m.Type).HasMaxLength(WebhookEventTypes.MaxLength).IsRequired();
        builder.Property(m => m.Payload).IsRequired();
        builder.Property(m => m.Status).HasMaxLength(16).IsRequired();
        builder.Property(m => m.LeaseOwner).HasMaxLength(WebhookOutboxMessage.MaxLeaseOwnerLength);
        builder.HasOne<WebhookSubscription>().WithMany().HasForeignKey(m => m.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
        // The worker's claim: due pending rows, oldest first.
        builder.HasIndex(m => new { m.Status, m.NextAttemptAt });
        // The clean-up: finished rows older than Webhooks:KeepDeliveriesDays.
        builder.HasIndex(m => m.CompletedAt);
    }
}

public sealed class WebhookDeliveryAttemptConfiguration : IEntityTypeConfiguration<WebhookDeliveryAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookDeliveryAttempt> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Property(d => d.EventId).HasMaxLength(WebhookOutboxMessage.MaxEventIdLength).IsRequired();
        builder.Property(d => d.EventType).HasMaxLength(WebhookEventTypes.MaxLength).IsRequired();
        builder.Property(d => d.Outcome).HasMaxLength(16).IsRequired();
        builder.Property(d => d.Error).HasMaxLength(WebhookDeliveryAttempt.MaxErrorLength);
        builder.HasOne<WebhookSubscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(d => new { d.SubscriptionId, d.AttemptedAt });
        builder.HasIndex(d => d.AttemptedAt);
    }
}

public sealed class WebhookCursorConfiguration : IEntityTypeConfiguration<WebhookCursor>
{
    public void Configure(EntityTypeBuilder<WebhookCursor> builder)
    {
        builder.ToTable("webhook_cursors");
        builder.HasKey(c => c.Name);
        builder.Property(c => c.Name).HasMaxLength(50);
    }
}

public sealed class WebhookFirstHumanClickConfiguration : IEntityTypeConfiguration<WebhookFirstHumanClick>
{
    public void Configure(EntityTypeBuilder<WebhookFirstHumanClick> builder)
    {
        builder.ToTable("webhook_first_human_clicks");
        builder.HasKey(f => f.ApplicationId);
        builder.Property(f => f.ApplicationId).ValueGeneratedNever();
    }
}

public sealed class WebhookAlertEpisodeConfiguration : IEntityTypeConfiguration<WebhookAlertEpisode>
{
    public void Configure(EntityTypeBuilder<WebhookAlertEpisode> builder)
    {
        builder.ToTable("webhook_alert_episodes");
        builder.HasKey(e => e.Key);
        builder.Property(e => e.Key).HasMaxLength(WebhookAlertEpisode.MaxKeyLength);
        builder.Property(e => e.Type).HasMaxLength(WebhookEventTypes.MaxLength).IsRequired();
    }
}
