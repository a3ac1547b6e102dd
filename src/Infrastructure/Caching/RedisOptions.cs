using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LinkTracking.Infrastructure.Caching;

/// <summary>Configuration section <c>Redis</c>. Set on every node of a deployment with more than one.</summary>
public sealed class RedisOptions
{
    public const string SectionName = "Redis";

    /// <summary>
    /// StackExchange.Redis configuration (<c>host:port,…</c>). When set: the shared second-level link cache,
    /// cross-instance invalidation of links and revoked keys, and shared rate limits. Unset: each node alone.
    /// </summary>
    [RedisConfiguration(ErrorMessage = "Redis:Configuration is not a StackExchange.Redis configuration (host:port,option=value,…).")]
    public string? Configuration { get; set; }

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Configuration);
}

/// <summary>Checks <see cref="RedisOptions"/> at start-up (source-generated from the data annotations).</summary>
[OptionsValidator]
public sealed partial class RedisOptionsValidator : IValidateOptions<RedisOptions>;

/// <summary>Unset, or a configuration string StackExchange.Redis can parse (it is otherwise parsed only at first use).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RedisConfigurationAttribute : ValidationAttribute
{
    public override bool IsValid(object? value)
    {
        if (value is not string configuration || string.IsNullOrWhiteSpace(configuration))
        {
            return true;
        }

        try
        {
            return ConfigurationOptions.Parse(configuration).EndPoints.Count > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
