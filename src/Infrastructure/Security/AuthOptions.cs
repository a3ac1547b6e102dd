namespace LinkTracking.Infrastructure.Security;

/// <summary>Configuration section <c>Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>When set, an <c>admin</c> key with exactly this secret exists after start-up (first deployments, tests).</summary>
    public string? BootstrapApiKey { get; set; }
}
