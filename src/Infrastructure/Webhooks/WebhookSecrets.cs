using System.Security.Cryptography;
using LinkTracking.Application.Common.Interfaces;
using Microsoft.AspNetCore.DataProtection;

namespace LinkTracking.Infrastructure.Webhooks;

/// <summary>
/// <c>whsec_</c> + base64 of 32 random bytes (Standard Webhooks), stored encrypted with ASP.NET Core Data Protection:
/// the database alone does not give the secrets away; the key ring (<c>DataProtection:KeysDirectory</c>) is needed too.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider dataProtection) : IWebhookSecrets
{
    public const string Prefix = "whsec_";

    private readonly IDataProtector _protector = dataProtection.CreateProtector("LinkTracking.Webhooks.Secret.v1");

    public string Generate() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string Protect(string secret) => _protector.Protect(secret);

    /// <summary>The secret, or throws <see cref="CryptographicException"/> when the key ring that protected it is gone.</summary>
    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
