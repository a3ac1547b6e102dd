using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Options;
using LinkTracking.Infrastructure.Analytics;
using LinkTracking.Infrastructure.Caching;
using LinkTracking.Infrastructure.Classification;
using LinkTracking.Infrastructure.Clicks;
using LinkTracking.Infrastructure.Persistence;
using LinkTracking.Infrastructure.Persistence.Repositories;
using LinkTracking.Infrastructure.Privacy;
using LinkTracking.Infrastructure.Security;
using LinkTracking.Infrastructure.Webhooks;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;

namespace LinkTracking.Infrastructure;

public static class DependencyInjection
{
    /// <summary>Database (SQLite or PostgreSQL), repositories, analytics, the click pipeline, caches and API key checks.</summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        var database = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.SectionName));
        services.AddOptions<ClickPipelineOptions>().Bind(configuration.GetSection(ClickPipelineOptions.SectionName));
        var connectionString = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);

        if (database.Provider == DatabaseProvider.Postgres)
        {
            if (string.IsNullOrEmpty(connectionString))
            {
                throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:LinkTracking is not set.");
            }

            var dataSourceBuilder = new NpgsqlDataSourceBuilder(connectionString);
            if (dataSourceBuilder.ConnectionStringBuilder.MaxAutoPrepare == 0)
            {
                // The click batch INSERT and the redirect's link lookup run thousands of times: prepare them once per connection.
                dataSourceBuilder.ConnectionStringBuilder.MaxAutoPrepare = 32;
            }

            var dataSource = dataSourceBuilder.Build();
            services.AddSingleton(dataSource);
            services.AddDbContextPool<PostgresLinkTrackingDbContext>(o => o.UseNpgsql(dataSource).UseSnakeCaseNamingConvention());
            services.AddScoped<LinkTrackingDbContext>(sp => sp.GetRequiredService<PostgresLinkTrackingDbContext>());
            services.AddSingleton<PostgresClickBatchWriter>();
            services.AddSingleton<IClickBatchWriter>(sp => new ReclassifyingClickBatchWriter(
                sp.GetRequiredService<PostgresClickBatchWriter>(), sp.GetRequiredService<ClickReclassifier>()));
        }
        else
        {
            connectionString = string.IsNullOrEmpty(connectionString) ? DatabaseOptions.DefaultSqliteConnectionString : connectionString;
            services.AddDbContextPool<SqliteLinkTrackingDbContext>(o => o.UseSqlite(connectionString).UseSnakeCaseNamingConvention());
            services.AddScoped<LinkTrackingDbContext>(sp => sp.GetRequiredService<SqliteLinkTrackingDbContext>());
            var sqliteWriter = new SqliteClickBatchWriter(connectionString);
            services.AddSingleton<IClickBatchWriter>(sp => new ReclassifyingClickBatchWriter(sqliteWriter, sp.GetRequiredService<ClickReclassifier>()));
        }

        services.AddClickClassification(configuration);
        services.AddSingleton<LinkTracking.Application.Clicks.Enrichment.IClickEnricher, Enrichment.UnknownClickEnricher>();
        services.AddSingleton<ClickReclassifier>();
        services.AddSingleton<ISessionIds, SessionIds>();
        services.AddScoped<IUnitOfWork>(sp => sp.GetRequiredService<LinkTrackingDbContext>());
        services.AddScoped<BoundedReads>();
        services.AddScoped<ITrackedLinkRepository, TrackedLinkRepository>();
        services.AddScoped<IApiKeyStore, ApiKeyStore>();
        services.AddScoped<ILinkAnalyticsQueries, LinkAnalyticsQueries>();
        services.AddScoped<IClickExport, ClickExportReader>();
        services.AddScoped<IClickPrivacyStore, ClickPrivacyStore>();
        services.AddSingleton<IpAnonymisationJob>();
        services.AddHostedService(sp => sp.GetRequiredService<IpAnonymisationJob>());

        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ClickPipelineOptions>>().Value;
            return new ClickSpool(options.SpoolDirectory, options.MaxSegmentBytes);
        });
        services.AddSingleton<ClickPipeline>();
        services.AddSingleton<IClickRecorder>(sp => sp.GetRequiredService<ClickPipeline>());
        services.AddHostedService(sp => sp.GetRequiredService<ClickPipeline>());

        AddWebhooks(services, configuration);
        AddCaching(services, configuration);
        services.AddMemoryCache();
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<IApiKeySecrets, ApiKeySecretsService>();
        return services;
    }

    /// <summary>
    /// The outbox (written in the caller's transaction), the subscription store, secrets protected with Data Protection
    /// (key ring in <c>DataProtection:KeysDirectory</c> when set: share it between nodes), and — unless
    /// <c>Webhooks:Enabled</c> is false — the delivery worker and the settler.
    /// </summary>
    private static void AddWebhooks(IServiceCollection services, IConfiguration configuration)
    {
        var dataProtection = services.AddDataProtection().SetApplicationName("LinkTracking");
        if (configuration["DataProtection:KeysDirectory"] is { Length: > 0 } keys)
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keys));
        }

        services.AddScoped<IWebhookOutbox, WebhookOutbox>();
        services.AddScoped<IWebhookSubscriptionStore, WebhookSubscriptionStore>();
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<IWebhookSecrets>(sp => sp.GetRequiredService<WebhookSecrets>());
        services.AddSingleton<WebhookHttpClient>();
        services.AddSingleton<WebhookDeliveryWorker>();
        services.AddSingleton<WebhookSettler>();
        if (configuration.GetValue($"{WebhookOptions.SectionName}:Enabled", true))
        {
            services.AddHostedService(sp => sp.GetRequiredService<WebhookDeliveryWorker>());
            services.AddHostedService(sp => sp.GetRequiredService<WebhookSettler>());
        }
    }

    private static void AddCaching(IServiceCollection services, IConfiguration configuration)
    {
        services.AddHybridCache();
        services.AddSingleton<HybridLinkCache>();
        services.AddSingleton<ILinkCache>(sp => sp.GetRequiredService<HybridLinkCache>());

        var redis = configuration["Redis:Configuration"];
        if (string.IsNullOrEmpty(redis))
        {
            services.AddSingleton<ILinkInvalidationBus, InProcessLinkInvalidationBus>();
            services.AddSingleton<IApiKeyRevocations, InProcessApiKeyRevocations>();
            return;
        }

        // One connection per instance, shared by the second-level cache, pub/sub and the rate limits.
        var multiplexer = new Lazy<IConnectionMultiplexer>(() => ConnectionMultiplexer.Connect(redis));
        services.AddSingleton(_ => multiplexer.Value);
        services.AddStackExchangeRedisCache(o => o.ConnectionMultiplexerFactory = () => Task.FromResult(multiplexer.Value));
        services.AddSingleton<RedisLinkInvalidationBus>();
        services.AddSingleton<ILinkInvalidationBus>(sp => sp.GetRequiredService<RedisLinkInvalidationBus>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisLinkInvalidationBus>());
        services.AddSingleton<RedisApiKeyRevocations>();
        services.AddSingleton<IApiKeyRevocations>(sp => sp.GetRequiredService<RedisApiKeyRevocations>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisApiKeyRevocations>());
    }
}
