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
        services.AddOptions<LinkTrackingOptions>()
            .Bind(configuration.GetSection(LinkTrackingOptions.SectionName))
            .Validate(o => RedirectsOptions.IsUnsetOrHttpUrl(o.PublicBaseUrl), "LinkTracking:PublicBaseUrl is an absolute http(s) URL.")
            .Validate(o => RedirectsOptions.IsUnsetOrHttpUrl(o.DecoyUrl), "LinkTracking:DecoyUrl is an absolute http(s) URL.")
            .Validate(o => RedirectsOptions.IsUnsetOrHttpUrl(o.Redirects.BaseUrl), "LinkTracking:Redirects:BaseUrl is an absolute http(s) URL.")
            .Validate(o => RedirectsOptions.IsUnsetOrHttpUrl(o.Redirects.InvalidLink), "LinkTracking:Redirects:InvalidLink is an absolute http(s) URL.")
            .ValidateOnStart();
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.SectionName)).ValidateOnStart();
        services.AddOptions<PrivacyOptions>()
            .Bind(configuration.GetSection(PrivacyOptions.SectionName))
            .Validate(o => o.IpRetentionDays >= 0, "Privacy:IpRetentionDays must not be negative.")
            .Validate(o => o.AnonymisationInterval > TimeSpan.Zero, "Privacy:AnonymisationInterval must be positive.")
            .ValidateOnStart();
        services.AddOptions<OrphanVisitOptions>().Bind(configuration.GetSection(OrphanVisitOptions.SectionName)).ValidateOnStart();
        services.AddOptions<WebhookOptions>()
            .Bind(configuration.GetSection(WebhookOptions.SectionName))
            .Validate(o => o.IsValid(), WebhookOptions.Rules)
            .ValidateOnStart();

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
