using LinkTracking.Application.Common.Options;
using LinkTracking.Infrastructure.Caching;
using LinkTracking.Infrastructure.Clicks;
using LinkTracking.Infrastructure.Enrichment;
using LinkTracking.Infrastructure.Persistence;
using LinkTracking.Infrastructure.Retention;
using LinkTracking.Infrastructure.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracking.Infrastructure;

/// <summary>
/// The infrastructure's options, bound and checked at start-up by their validators (see <see cref="OptionsRegistration"/>):
/// a value the service cannot work with (a zero batch size would loop for ever, a zero interval would spin, a retention
/// below one day would delete everything) stops it with a message naming the key, before it serves.
/// </summary>
public static class InfrastructureOptions
{
    public static IServiceCollection AddValidatedInfrastructureOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<DatabaseOptions, DatabaseOptionsValidator>(configuration.GetSection(DatabaseOptions.SectionName));
        services.AddValidatedOptions<ClickPipelineOptions, ClickPipelineOptionsValidator>(configuration.GetSection(ClickPipelineOptions.SectionName));
        services.AddValidatedOptions<RedisOptions, RedisOptionsValidator>(configuration.GetSection(RedisOptions.SectionName));
        services.AddValidatedOptions<AuthOptions, AuthOptionsValidator>(configuration.GetSection(AuthOptions.SectionName));
        services.AddValidatedOptions<RetentionOptions, RetentionOptionsValidator>(configuration.GetSection(RetentionOptions.SectionName));
        services.AddValidatedOptions<ClickEnrichmentOptions, ClickEnrichmentOptionsValidator>(configuration.GetSection(ClickEnrichmentOptions.SectionName));
        return services;
    }
}
