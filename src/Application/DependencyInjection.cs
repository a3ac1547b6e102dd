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
        services.AddOptions<LinkTrackingOptions>().Bind(configuration.GetSection(LinkTrackingOptions.SectionName));
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.SectionName));
        services.AddOptions<PrivacyOptions>().Bind(configuration.GetSection(PrivacyOptions.SectionName));
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.SectionName));

        services.AddValidatorsFromAssemblyContaining<MappingProfile>(ServiceLifetime.Singleton, includeInternalTypes: false);
        services.AddAutoMapper(cfg => cfg.AddProfile<MappingProfile>());

        services.AddSingleton<UrlPolicy>();
        services.AddSingleton<ClickFactory>();
        services.AddScoped<PartnerClicks>();
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
