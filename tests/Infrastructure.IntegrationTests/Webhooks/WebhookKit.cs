using LinkTracking.Application.Clicks.Labels;
using LinkTracking.Application.Common.Interfaces;
using LinkTracking.Application.Common.Options;
using LinkTracking.Domain.Clicks;
using LinkTracking.Domain.Webhooks;
using LinkTracking.Infrastructure.Clicks;
using LinkTracking.Infrastructure.Persistence;
using LinkTracking.Infrastructure.Webhooks;
using LinkTracking.Tests.Shared;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace LinkTracking.Infrastructure.IntegrationTests.Webhooks;

/// <summary>The webhook parts wired as the service wires them, on one test database.</summary>
public sealed class WebhookKit : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly TestDatabase _database;

    public WebhookKit(TestDatabase database, TimeProvider clock, WebhookOptions? options = null, ClickClassificationOptions? classification = null)
    {
        _database = database;
        Options = options ?? new WebhookOptions
        {
            AllowPrivateTargets = true,
            RequireHttps = false,
            Timeout = TimeSpan.FromMilliseconds(700),
            InitialRetryDelay = TimeSpan.FromMilliseconds(100),
            MaxRetryDelay = TimeSpan.FromMilliseconds(400),
        };
        var services = new ServiceCollection();
        services.AddScoped<LinkTrackingDbContext>(_ => database.CreateContext());
        if (database.Provider == TestProvider.Postgres)
        {
            services.AddScoped<IWebhookOutboxClaims, PostgresWebhookOutboxClaims>();
        }
        else
        {
            services.AddScoped<IWebhookOutboxClaims, SqliteWebhookOutboxClaims>();
        }

        services.AddSingleton(clock);
        services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        services.AddSingleton<WebhookSecrets>();
        services.AddScoped<IWebhookOutbox, WebhookOutbox>();
        services.AddScoped<IClickReclassificationObserver, WebhookReclassificationObserver>();
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(Options));
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(classification ?? new ClickClassificationOptions()));
        services.AddSingleton<WebhookHttpClient>();
        _provider = services.BuildServiceProvider();
        Scopes = _provider.GetRequiredService<IServiceScopeFactory>();
        Secrets = _provider.GetRequiredService<WebhookSecrets>();
    }

    public WebhookOptions Options { get; }

    public IServiceScopeFactory Scopes { get; }

    public WebhookSecrets Secrets { get; }

    public WebhookDeliveryWorker Worker() => new(
        Scopes, _provider.GetRequiredService<WebhookHttpClient>(), _provider.GetRequiredService<IOptions<WebhookOptions>>(),
        _provider.GetRequiredService<TimeProvider>(), NullLogger<WebhookDeliveryWorker>.Instance);

    public WebhookSettler Settler() => new(
        Scopes, TestData.Rollups(_database), _provider.GetRequiredService<IOptions<WebhookOptions>>(), _provider.GetRequiredService<IOptions<ClickClassificationOptions>>(),
        _provider.GetRequiredService<TimeProvider>(), NullLogger<WebhookSettler>.Instance);

    /// <summary>
    /// An alert evaluator named <paramref name="node"/>, with the service's rules; its click pipeline is
    /// <paramref name="pipeline"/>, or an empty one (a mock that reads no backlog).
    /// </summary>
    public WebhookAlertEvaluator Evaluator(IClickPipelineBacklog? pipeline = null, string node = "node-a")
    {
        var options = _provider.GetRequiredService<IOptions<WebhookOptions>>();
        var clock = _provider.GetRequiredService<TimeProvider>();
        IWebhookAlertRule[] rules =
        [
            new ClickSpikeRule(options),
            new ScannerOnlyRule(options),
            new PipelineBacklogRule(pipeline ?? Mock.Of<IClickPipelineBacklog>(p => p.Read() == new ClickPipelineBacklog(0, TimeSpan.Zero)), options) { Node = node },
        ];
        return new WebhookAlertEvaluator(
            LinkExpiry(), rules, new WebhookAlertEpisodes(Scopes, clock, NullLogger<WebhookAlertEpisodes>.Instance), Cleanup(), options, clock,
            NullLogger<WebhookAlertEvaluator>.Instance);
    }

    public LinkExpiryAnnouncer LinkExpiry() => new(Scopes, _provider.GetRequiredService<TimeProvider>());

    public WebhookCleanup Cleanup() => new(Scopes, _provider.GetRequiredService<IOptions<WebhookOptions>>(), _provider.GetRequiredService<TimeProvider>());

    /// <summary>
    /// Stores clicks as the service does: the batch writer's commit, then a round of the rollup worker at the kit's
    /// clock — bursts and decoys reclassified around the window (with this kit's observers), then counted.
    /// </summary>
    public async Task StoreAsync(params LinkClick[] clicks)
    {
        if (clicks.Length > 0)
        {
            await TestData.RawWriter(_database).WriteAsync(clicks, CancellationToken.None);
        }

        var reclassifier = new ClickReclassifier(
            Scopes, _provider.GetRequiredService<IOptions<ClickClassificationOptions>>(), TestData.Rollups(_database), TestData.EarnedSignals(_database));
        await using var db = _database.CreateContext();
        await db.Database.OpenConnectionAsync();
        var round = await TestData.Rollups(_database).RollUpAsync(
            db.Database.GetDbConnection(), _provider.GetRequiredService<TimeProvider>(), reclassifier.ReclassifyWindowAsync, CancellationToken.None);
        Assert.That(round, Is.Not.Null, "the rollup round took its bound");
    }

    /// <summary>A user's labels, as the label endpoint makes them, with this kit's observers, on a context of its own.</summary>
    public async Task<string?> LabelAsync(Guid clickId, BotCategory category)
    {
        var clock = _provider.GetRequiredService<TimeProvider>();
        await using var scope = Scopes.CreateAsyncScope();
        var rules = new OriginRuleCache(Scopes, _provider.GetRequiredService<IOptions<ClickClassificationOptions>>(), clock, NullLogger<OriginRuleCache>.Instance);
        var labels = new ClickLabels(
            scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>(), TestData.Rollups(_database), rules, clock,
            scope.ServiceProvider.GetServices<IClickReclassificationObserver>());
        var labelled = await labels.LabelAsync(new ClickLabel(clickId, category, null, false, null), CancellationToken.None);
        return labelled?.BotCategory;
    }

    /// <summary>Stores a subscription and returns it with its plain secret, as the API would show it.</summary>
    public async Task<(WebhookSubscription Subscription, string Secret)> SubscribeAsync(Uri url, IReadOnlyCollection<string> events, Guid? applicationId = null)
    {
        var secret = Secrets.Generate();
        var subscription = WebhookSubscription.Create(url.ToString(), events, null, applicationId, Secrets.Protect(secret), DateTime.UtcNow);
        await using var scope = Scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>();
        db.WebhookSubscriptions.Add(subscription);
        await db.SaveChangesAsync();
        return (subscription, secret);
    }

    /// <summary>Adds events through the outbox and commits them, as a handler does.</summary>
    public async Task EmitAsync(params WebhookEventDraft[] events)
    {
        await using var scope = Scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IWebhookOutbox>().AddAsync(events, CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>().SaveChangesAsync();
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
