using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using LinkTracking.Application.Clicks.Labels;
using LinkTracking.Application.Common.Options;
using LinkTracking.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Clicks;

/// <summary>
/// The operator rules in memory, for the click factory on the redirect's hot path: one dictionary lookup per click, no
/// I/O (and none at all while there are no rules). Reloaded every <see cref="ClickClassificationOptions.RuleRefreshInterval"/>
/// on every instance, and at once on the instance that makes or deletes a rule.
/// </summary>
public sealed partial class OriginRuleCache(
    IServiceScopeFactory scopes, IOptions<ClickClassificationOptions> options, TimeProvider clock, ILogger<OriginRuleCache> logger)
    : BackgroundService, IOriginRules
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile FrozenDictionary<string, OriginRuleVerdict> _rules = FrozenDictionary<string, OriginRuleVerdict>.Empty;

    public bool IsEmpty => _rules.Count == 0;

    public bool TryGet(string origin, [MaybeNullWhen(false)] out OriginRuleVerdict verdict) => _rules.TryGetValue(origin, out verdict);

    /// <summary>Reloads the rules from the database.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _loading.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LinkTrackingDbContext>();
            var rules = await db.OriginRules.AsNoTracking().Select(r => new { r.Origin, r.BotCategory }).ToListAsync(cancellationToken);
            _rules = rules.ToFrozenDictionary(r => r.Origin, r => new OriginRuleVerdict(r.BotCategory), StringComparer.Ordinal);
        }
        finally
        {
            _loading.Release();
        }
    }

    public override void Dispose()
    {
        _loading.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RuleRefreshInterval, clock);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The rules in memory stay as they were; the next tick tries again.
                LogRefreshFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reload the classification rules; keeping the ones in memory")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
