using LinkTracking.Application.Clicks.Enrichment;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Options;
using LinkTracking.Infrastructure.Analytics;
using LinkTracking.Infrastructure.Analytics.Rollups;
using LinkTracking.Infrastructure.Caching;
using LinkTracking.Infrastructure.Classification;
using LinkTracking.Infrastructure.Clicks;
using LinkTracking.Infrastructure.Enrichment;
using LinkTracking.Infrastructure.FileSystem;
using LinkTracking.Infrastructure.Persistence;
using LinkTracking.Infrastructure.Persistence.Repositories;
using LinkTracking.Infrastructure.Privacy;
using LinkTracking.Infrastructure.Retention;
using LinkTracking.Infrastructure.Security;
using LinkTracking.Infrastructure.Telemetry;
using LinkTracking.Infrastructure.Streaming;
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
        services.AddValidatedInfrastructureOptions(configuration);
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

            var connectionOptions = dataSourceBuilder.ConnectionStringBuilder.Options ?? "";
            if (!connectionOptions.Contains("jit", StringComparison.OrdinalIgnoreCase))
            {
                // The rollup worker's and the reads' statements are planned as costly but run in milliseconds: compiling
                // them (PostgreSQL's JIT, on by default) took 100-135 ms a round. A connection string's own jit wins.
                dataSourceBuilder.ConnectionStringBuilder.Options = (connectionOptions + " -c jit=off").Trim();
            }

            var dataSource = dataSourceBuilder.Build();
            services.AddSingleton(dataSource);
            services.AddDbContextPool<PostgresLinkTrackingDbContext>(o => o.UseNpgsql(dataSource).UseSnakeCaseNamingConvention());
            services.AddScoped<LinkTrackingDbContext>(sp => sp.GetRequiredService<PostgresLinkTrackingDbContext>());
            services.AddSingleton<IClickRollupStore, PostgresClickRollupStore>();
            services.AddScoped<IDistinctKeys, PostgresDistinctKeys>();
            services.AddSingleton<IEarnedSignals, PostgresEarnedSignals>();
            services.AddSingleton<PostgresClickBatchWriter>();
            services.AddSingleton<IClickBatchWriter>(sp => sp.GetRequiredService<PostgresClickBatchWriter>());
            services.AddScoped<IRawClickStorage, PostgresClickPartitions>();
            services.AddScoped<IWebhookOutboxClaims, PostgresWebhookOutboxClaims>();
            services.AddScoped<IIpAnonymiser, PostgresIpAnonymiser>();
            services.AddSingleton<Outcomes.PostgresApplicationFunnel>();
            services.AddHostedService<Outcomes.ApplicationFunnelWorker>();
            services.AddScoped<IOutcomeFunnelQueries, Outcomes.PostgresOutcomeFunnelQueries>();
            services.AddSingleton<PostgresLinkCensus>();
            services.AddHostedService<LinkCensusWorker>();
        }
        else
        {
            connectionString = string.IsNullOrEmpty(connectionString) ? DatabaseOptions.DefaultSqliteConnectionString : connectionString;
            services.AddDbContextPool<SqliteLinkTrackingDbContext>(o => o.UseSqlite(connectionString).UseSnakeCaseNamingConvention());
            services.AddScoped<LinkTrackingDbContext>(sp => sp.GetRequiredService<SqliteLinkTrackingDbContext>());
            services.AddSingleton<IClickRollupStore, SqliteClickRollupStore>();
            services.AddScoped<IDistinctKeys, SqliteDistinctKeys>();
            services.AddSingleton<IEarnedSignals, PortableEarnedSignals>();
            var sqliteWriter = new SqliteClickBatchWriter(connectionString);
            services.AddSingleton<IClickBatchWriter>(sqliteWriter);
            services.AddScoped<IRawClickStorage, SqliteRawClickRetention>();
            services.AddScoped<IWebhookOutboxClaims, SqliteWebhookOutboxClaims>();
            services.AddScoped<IIpAnonymiser, SqliteIpAnonymiser>();
            services.AddScoped<IOutcomeFunnelQueries>(sp => sp.GetRequiredService<Outcomes.OutcomeFunnelQueries>());
        }

        services.AddClickClassification(configuration);
        services.AddSingleton<ClickEnricher>();
        services.AddSingleton<IClickEnricher>(sp => sp.GetRequiredService<ClickEnricher>());
        services.AddHostedService<ClickEnrichmentStartup>();
        services.AddSingleton<ClickReclassifier>();
        services.AddSingleton<OriginRuleCache>();
        services.AddSingleton<Application.Clicks.Labels.IOriginRules>(sp => sp.GetRequiredService<OriginRuleCache>());
        services.AddHostedService(sp => sp.GetRequiredService<OriginRuleCache>());
        services.AddScoped<Application.Clicks.Labels.IClickLabels, ClickLabels>();
        services.AddSingleton<ISessionIds, SessionIds>();
        services.AddScoped<IUnitOfWork>(sp => sp.GetRequiredService<LinkTrackingDbContext>());
        services.AddScoped<BoundedReads>();
        services.AddScoped<ITrackedLinkRepository, TrackedLinkRepository>();
        services.AddScoped<ILinkChangeLog, LinkChangeLog>();
        services.AddScoped<IApplicationOutcomeRepository, ApplicationOutcomeRepository>();
        services.AddScoped<Outcomes.OutcomeFunnelQueries>();
        services.AddScoped<IApplicationClickReader, Outcomes.ApplicationClickReader>();
        services.AddSingleton<IHumanClickCounts, HumanClickCounts>();
        services.AddSingleton<IQrCodeRenderer, QrCodes.QrCoderRenderer>();
        services.AddSingleton<Clicks.Orphans.OrphanVisitWriter>();
        services.AddSingleton<IOrphanVisitSink>(sp => sp.GetRequiredService<Clicks.Orphans.OrphanVisitWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<Clicks.Orphans.OrphanVisitWriter>());
        services.AddScoped<IOrphanVisitQueries, Clicks.Orphans.OrphanVisitQueries>();
        services.AddScoped<IApiKeyStore, ApiKeyStore>();
        services.AddScoped<IDashboardSessionStore, DashboardSessionStore>();
        services.AddSingleton<DashboardSessionCleanupJob>();
        services.AddHostedService(sp => sp.GetRequiredService<DashboardSessionCleanupJob>());
        services.AddScoped<ILinkAnalyticsQueries, LinkAnalyticsQueries>();
        services.AddScoped<IVariantClickQueries, VariantClickQueries>();
        services.AddScoped<ClickRollupRebuilder>();
        services.AddValidatedOptions<AnalyticsOptions, AnalyticsOptionsValidator>(configuration.GetSection(AnalyticsOptions.SectionName));
        services.AddSingleton<RollupWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<RollupWorker>());
        services.AddSingleton<IAnalyticsFreshness, AnalyticsFreshness>();
        services.AddScoped<ILinkActivityQueries, LinkActivityQueries>();
        services.AddScoped<IClickExport, ClickExportReader>();
        services.AddOptions<Export.ParquetExportOptions>()
            .Bind(configuration.GetSection(Export.ParquetExportOptions.SectionName))
            .Validate(o => o.IsValid(), Export.ParquetExportOptions.Rules)
            .ValidateOnStart();
        services.AddScoped<Export.ClickColumnReader>();
        services.AddScoped<Export.ParquetClickExporter>();
        services.AddSingleton<Export.ParquetExportJob>();
        if (!string.IsNullOrWhiteSpace(configuration[$"{Export.ParquetExportOptions.SectionName}:Directory"]))
        {
            services.AddHostedService(sp => sp.GetRequiredService<Export.ParquetExportJob>());
        }

        services.AddScoped<IStoredClickEvents, StoredClickEvents>();
        services.AddScoped<IClickPrivacyStore, ClickPrivacyStore>();
        services.AddSingleton<IpAnonymisationJob>();
        services.AddHostedService(sp => sp.GetRequiredService<IpAnonymisationJob>());
        services.AddSingleton<RawClickMaintenanceJob>();
        services.AddHostedService(sp => sp.GetRequiredService<RawClickMaintenanceJob>());

        services.AddSingleton<IDirectorySync>(DirectorySync.Instance);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ClickPipelineOptions>>().Value;
            return new ClickSpool(options.SpoolDirectory, options.MaxSegmentBytes, directorySync: sp.GetRequiredService<IDirectorySync>());
        });
        // One recorder per durability mode, chosen here; the mover is its own background service, registered first so
        // that it starts first and stops last (after the recorder's last journal batch).
        services.AddSingleton(sp => ClickRecorders.Create(
            sp.GetRequiredService<IClickBatchWriter>(),
            sp.GetRequiredService<ClickSpool>(),
            sp.GetRequiredService<IOptions<ClickPipelineOptions>>(),
            sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>()));
        services.AddSingleton(sp => sp.GetRequiredService<ClickPipelineParts>().Mover);
        services.AddSingleton(sp => sp.GetRequiredService<ClickPipelineParts>().Recorder);
        services.AddSingleton<IClickRecorder>(sp => sp.GetRequiredService<ClickRecorder>());
        services.AddSingleton<IClickPipelineBacklog>(sp => sp.GetRequiredService<ClickRecorder>());
        services.AddHostedService(sp => sp.GetRequiredService<ClickSpoolMover>());
        services.AddHostedService(sp => sp.GetRequiredService<ClickRecorder>());

        AddWebhooks(services, configuration);
        services.AddClickStreaming(configuration);
        AddCaching(services, configuration);
        services.AddMemoryCache();
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<IApiKeySecrets, ApiKeySecretsService>();
        services.AddServiceMetrics();
        return services;
    }

    /// <summary>
    /// The outbox (written in the caller's transaction), the subscription store, secrets protected with Data Protection
    /// (key ring in <c>DataProtection:KeysDirectory</c> when set: share it between nodes), and — unless
    /// <c>Webhooks:Enabled</c> is false — the delivery worker, the settler and the alert evaluator (alerts, <c>link.expired</c>, clean-up).
    /// </summary>
    private static void AddWebhooks(IServiceCollection services, IConfiguration configuration)
    {
        var dataProtection = services.AddDataProtection().SetApplicationName("LinkTracking");
        if (configuration["DataProtection:KeysDirectory"] is { Length: > 0 } keys)
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keys));
        }

        services.AddScoped<IWebhookOutbox, WebhookOutbox>();
        services.AddScoped<IClickReclassificationObserver, WebhookReclassificationObserver>();
        services.AddScoped<IWebhookSubscriptionStore, WebhookSubscriptionStore>();
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<IWebhookSecrets>(sp => sp.GetRequiredService<WebhookSecrets>());
        services.AddSingleton<WebhookHttpClient>();
        services.AddSingleton<WebhookDeliveryWorker>();
        services.AddSingleton<WebhookSettler>();
        services.AddSingleton<LinkExpiryAnnouncer>();
        services.AddSingleton<WebhookAlertEpisodes>();
        services.AddSingleton<WebhookCleanup>();
        services.AddSingleton<IWebhookAlertRule, ClickSpikeRule>();
        services.AddSingleton<IWebhookAlertRule, ScannerOnlyRule>();
        services.AddSingleton<IWebhookAlertRule, PipelineBacklogRule>();
        services.AddSingleton<WebhookAlertEvaluator>();
        if (configuration.GetValue($"{WebhookOptions.SectionName}:Enabled", true))
        {
            services.AddHostedService(sp => sp.GetRequiredService<WebhookDeliveryWorker>());
            services.AddHostedService(sp => sp.GetRequiredService<WebhookSettler>());
            services.AddHostedService(sp => sp.GetRequiredService<WebhookAlertEvaluator>());
        }
    }

    private static void AddCaching(IServiceCollection services, IConfiguration configuration)
    {
        services.AddHybridCache();
        services.AddSingleton<HybridLinkCache>();
        services.AddSingleton<ILinkCache>(sp => sp.GetRequiredService<HybridLinkCache>());

        var redis = configuration.GetSection(RedisOptions.SectionName).Get<RedisOptions>()?.Configuration;
        if (string.IsNullOrWhiteSpace(redis))
        {
            services.AddSingleton<ILinkInvalidationBus, InProcessLinkInvalidationBus>();
            services.AddSingleton<IApiKeyRevocations, InProcessApiKeyRevocations>();
            return;
        }

        // One connection per instance, shared by the second-level cache, pub/sub and the rate limits.
        // Redis unreachable at start-up must not stop the node: connect in the background (whatever the configuration
        // string says about abortConnect) and use the per-node fallbacks meanwhile.
        var multiplexer = new Lazy<IConnectionMultiplexer>(() =>
        {
            // The first user may connect before the options are validated at start: it fails with the same message.
            var check = new RedisOptionsValidator().Validate(Options.DefaultName, new RedisOptions { Configuration = redis });
            if (check.Failed)
            {
                throw new OptionsValidationException(Options.DefaultName, typeof(RedisOptions), check.Failures);
            }

            var options = ConfigurationOptions.Parse(redis);
            options.AbortOnConnectFail = false;
            return ConnectionMultiplexer.Connect(options);
        });
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
