using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Infrastructure.Clicks;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracking.Infrastructure.Telemetry;

public static class DependencyInjection
{
    /// <summary>
    /// <see cref="ServiceMetrics"/> and the decorators that feed it, wrapped around the registrations made before
    /// (call it after they are made): the recorder and the batch writer stay unaware of metrics.
    /// </summary>
    public static IServiceCollection AddServiceMetrics(this IServiceCollection services)
    {
        services.AddSingleton<ServiceMetrics>();
        Decorate<IClickRecorder>(services, (inner, sp) => new MeteredClickRecorder(inner, sp.GetRequiredService<ServiceMetrics>()));
        Decorate<IClickBatchWriter>(services, (inner, sp) => new MeteredClickBatchWriter(inner, sp.GetRequiredService<ServiceMetrics>()));
        Decorate<ClickSpool>(services, (spool, sp) =>
        {
            spool.Synced += sp.GetRequiredService<ServiceMetrics>().JournalSynced;
            return spool;
        });
        return services;
    }

    /// <summary>Replaces the last registration of <typeparamref name="TService"/> (a singleton) by a wrapper around it.</summary>
    private static void Decorate<TService>(IServiceCollection services, Func<TService, IServiceProvider, TService> wrap)
        where TService : class
    {
        var index = -1;
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(TService) && !services[i].IsKeyedService)
            {
                index = i;
                break;
            }
        }

        if (index < 0)
        {
            throw new InvalidOperationException($"No {typeof(TService).Name} is registered to decorate.");
        }

        var original = services[index];
        services[index] = ServiceDescriptor.Singleton<TService>(sp => wrap(Create<TService>(original, sp), sp));
    }

    private static TService Create<TService>(ServiceDescriptor descriptor, IServiceProvider sp)
        where TService : class =>
        (TService)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(sp)
            ?? ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!));
}
