using LinkTracking.Infrastructure.Clicks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracking.Infrastructure.Streaming;

public static class DependencyInjection
{
    /// <summary>
    /// The click stream to NATS JetStream (ADR 0024) when <c>Streaming:Nats:Url</c> is set: the reclassification outbox
    /// observer, the sink and the publisher. Unset, nothing is registered and no reclassification writes an outbox row.
    /// </summary>
    public static IServiceCollection AddClickStreaming(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(NatsStreamOptions.SectionName);
        services.AddOptions<NatsStreamOptions>()
            .Bind(section)
            .Validate(o => o.IsValid(), NatsStreamOptions.Rules)
            .ValidateOnStart();
        if (string.IsNullOrWhiteSpace(section[nameof(NatsStreamOptions.Url)]))
        {
            return services;
        }

        services.AddScoped<IClickReclassificationObserver, ClickStreamOutbox>();
        services.AddSingleton<NatsClickStreamSink>();
        services.AddSingleton<IClickStreamSink>(sp => sp.GetRequiredService<NatsClickStreamSink>());
        services.AddSingleton<ClickStreamPublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<ClickStreamPublisher>());
        return services;
    }
}
