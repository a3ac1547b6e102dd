using LinkTracking.Application.Common.Options;
using Microsoft.Extensions.Options;

namespace LinkTracking.Infrastructure.Security;

/// <summary>Configuration section <c>Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>When set, an <c>admin</c> key with exactly this secret exists after start-up (first deployments, tests).</summary>
    [LengthWhenSet(16, ApiKeySecrets.MaxSecretLength, ErrorMessage = "Auth:BootstrapApiKey is 16 to 256 characters.")]
    public string? BootstrapApiKey { get; set; }
}

/// <summary>Checks <see cref="AuthOptions"/> at start-up (source-generated from the data annotations).</summary>
[OptionsValidator]
public sealed partial class AuthOptionsValidator : IValidateOptions<AuthOptions>;
