using LinkTracking.Domain.Clicks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LinkTracking.Infrastructure.Persistence.Configurations;

public sealed class OriginRuleConfiguration : IEntityTypeConfiguration<OriginRule>
{
    public void Configure(EntityTypeBuilder<OriginRule> builder)
    {
        builder.ToTable("classification_rules");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Origin).HasMaxLength(LinkClick.MaxOriginLength).IsRequired();
        builder.Property(r => r.BotCategory)
            .HasConversion(v => v.Name(), v => ParseCategory(v))
            .HasMaxLength(BotCategories.MaxNameLength)
            .IsRequired();
        builder.Property(r => r.Note).HasMaxLength(OriginRule.MaxNoteLength);
        builder.HasIndex(r => r.Origin).IsUnique();
    }

    private static BotCategory ParseCategory(string name) => BotCategories.TryParse(name, out var category) ? category : BotCategory.Scanner;
}
