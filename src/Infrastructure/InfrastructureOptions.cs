using LinkTracking.Infrastructure.Caching;
using LinkTracking.Infrastructure.Clicks;
using LinkTracking.Infrastructure.Persistence;
using LinkTracking.Infrastructure.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracking.Infrastructure;

/// <summary>
/// The infrastructure's options, bound and checked at start-up: a value the service cannot work with (a zero batch
/// size would loop for ever, a zero interval would spin) stops it with a message naming the key, before it serves.
/// </summary>
public static class InfrastructureOptions
{
    public static IServiceCollection AddValidatedInfrastructureOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.SectionName))
            .Validate(o => Enum.IsDefined(o.Provider), "Database:Provider is Sqlite or Postgres.")
            .Validate(o => o.QueryTimeout > TimeSpan.Zero, "Database:QueryTimeout must be positive.")
            .ValidateOnStart();

        services.AddOptions<ClickPipelineOptions>()
            .Bind(configuration.GetSection(ClickPipelineOptions.SectionName))
            .Validate(o => o.MaxBatchSize > 0, "ClickPipeline:MaxBatchSize must be positive.")
            .Validate(o => o.ReplayBatchSize > 0, "ClickPipeline:ReplayBatchSize must be positive.")
            .Validate(o => o.Writers > 0, "ClickPipeline:Writers must be positive.")
            .Validate(o => o.ChannelCapacity > 0, "ClickPipeline:ChannelCapacity must be positive.")
            .Validate(o => o.MoveInterval > TimeSpan.Zero, "ClickPipeline:MoveInterval must be positive.")
            .Validate(o => o.ReplayInterval > TimeSpan.Zero, "ClickPipeline:ReplayInterval must be positive.")
            .Validate(o => o.WriteTimeout > TimeSpan.Zero, "ClickPipeline:WriteTimeout must be positive.")
            .Validate(o => o.MaxBatchDelay >= TimeSpan.Zero, "ClickPipeline:MaxBatchDelay must not be negative.")
            .Validate(o => o.JournalLinger >= TimeSpan.Zero, "ClickPipeline:JournalLinger must not be negative.")
            .Validate(o => o.MaxSegmentBytes > 0, "ClickPipeline:MaxSegmentBytes must be positive.")
            .Validate(o => o.MaxSpoolBytes >= 0, "ClickPipeline:MaxSpoolBytes is 0 (no budget) or positive.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.SpoolDirectory), "ClickPipeline:SpoolDirectory must be set.")
            .Validate(o => Enum.IsDefined(o.Durability) && Enum.IsDefined(o.Mode), "ClickPipeline:Durability is Journal or Database; ClickPipeline:Mode is Batched or Direct.")
            .ValidateOnStart();

        services.AddOptions<RedisOptions>().Bind(configuration.GetSection(RedisOptions.SectionName)).ValidateOnStart();
        services.AddOptions<AuthOptions>()
            .Bind(configuration.GetSection(AuthOptions.SectionName))
            .Validate(o => o.BootstrapApiKey is null || o.BootstrapApiKey.Length is 0 or (>= 16 and <= ApiKeySecrets.MaxSecretLength), $"Auth:BootstrapApiKey is 16 to {ApiKeySecrets.MaxSecretLength} characters.")
            .ValidateOnStart();
        return services;
    }
}
