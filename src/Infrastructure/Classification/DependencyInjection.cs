using LinkTracking.Application.Clicks.Classification;
using LinkTracking.Application.Common.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracking.Infrastructure.Classification;

public static class ClassificationServiceCollectionExtensions
{
    /// <summary>
    /// The click classifier: binds <c>ClickClassification</c> options and registers <see cref="INetworkLookup"/> and
    /// <see cref="IClickClassifier"/> as singletons over the shipped data (loaded once per process, when the host starts).
    /// </summary>
    public static IServiceCollection AddClickClassification(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ClickClassificationOptions, ClickClassificationOptionsValidator>(configuration.GetSection(ClickClassificationOptions.SectionName));
        services.AddSingleton<INetworkLookup, NetworkLookup>();
        services.AddSingleton<AgentMatcher>();
        services.AddSingleton<IClickClassifier, ClickClassifier>();
        services.AddHostedService<ClickClassificationStartup>();
        return services;
    }
}
