namespace LinkTracking.Infrastructure.Caching;

/// <summary>Configuration section <c>Redis</c>. Set on every node of a deployment with more than one.</summary>
public sealed class RedisOptions
{
    public const string SectionName = "Redis";

    /// <summary>
    /// StackExchange.Redis configuration (<c>host:port,…</c>). When set: the shared second-level link cache,
    /// cross-instance invalidation of links and revoked keys, and shared rate limits. Unset: each node alone.
    /// </summary>
    public string? Configuration { get; set; }

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Configuration);
}
