using LinkTracking.Infrastructure.Caching;
using LinkTracking.Infrastructure.Clicks;
using LinkTracking.Infrastructure.Persistence;
using LinkTracking.Infrastructure.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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

        // The click pipeline's values are checked by one validator that names every bad key at once.
        services.AddOptions<ClickPipelineOptions>().Bind(configuration.GetSection(ClickPipelineOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClickPipelineOptions>, ClickPipelineOptionsValidator>();

        services.AddOptions<RedisOptions>().Bind(configuration.GetSection(RedisOptions.SectionName)).ValidateOnStart();
        services.AddOptions<AuthOptions>()
            .Bind(configuration.GetSection(AuthOptions.SectionName))
            .Validate(o => o.BootstrapApiKey is null || o.BootstrapApiKey.Length is 0 or (>= 16 and <= ApiKeySecrets.MaxSecretLength), $"Auth:BootstrapApiKey is 16 to {ApiKeySecrets.MaxSecretLength} characters.")
            .ValidateOnStart();
        return services;
    }
}
