using FluentValidation;
using LinkTracking.Application.Analytics.Common;
using LinkTracking.Application.Clicks.Common;
using LinkTracking.Application.Common.Mapping;
using LinkTracking.Application.Common.Options;
using LinkTracking.Application.Common.Security;
using LinkTracking.Application.Links.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracking.Application;

public static class DependencyInjection
{
    /// <summary>
    /// Registers validators, the mapping profile, options and the application services. Mediator itself is
    /// registered by the host, where its source generator runs (see ADR 0001).
    /// </summary>
    public static IServiceCollection AddApplication(this IServiceCollection services, IConfiguration configuration)
    {
        // Every options class is checked at start-up by its validator (OptionsRegistration); a bad value names its key.
        services.AddValidatedOptions<LinkTrackingOptions, LinkTrackingOptionsValidator>(configuration.GetSection(LinkTrackingOptions.SectionName));
        services.AddValidatedOptions<SecurityOptions, SecurityOptionsValidator>(configuration.GetSection(SecurityOptions.SectionName));
        services.AddValidatedOptions<PrivacyOptions, PrivacyOptionsValidator>(configuration.GetSection(PrivacyOptions.SectionName));
        services.AddValidatedOptions<OrphanVisitOptions, OrphanVisitOptionsValidator>(configuration.GetSection(OrphanVisitOptions.SectionName));
        services.AddValidatedOptions<WebhookOptions, WebhookOptionsValidator>(configuration.GetSection(WebhookOptions.SectionName))
            .WithRulesAcrossFields<WebhookOptions, WebhookOptionsRules>();

        services.AddValidatorsFromAssemblyContaining<MappingProfile>(ServiceLifetime.Singleton, includeInternalTypes: false);
        services.AddAutoMapper(cfg => cfg.AddProfile<MappingProfile>());

        services.AddSingleton<UrlPolicy>();
        services.AddSingleton<ClickFactory>();
        services.AddSingleton<Clicks.OrphanVisits.OrphanVisitRecorder>();
        services.AddScoped<PartnerClicks>();
        services.AddSingleton<PartnerEvents>();
        services.AddScoped<LinkDtoMapper>();
        services.AddScoped<TrackedLinkFactory>();
        services.AddScoped<LinkActivation>();
        services.AddScoped<LinkSummaryBuilder>();
        services.TryAddTimeProvider();
        return services;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
