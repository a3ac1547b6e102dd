using System.Security.Cryptography;
using System.Text;

namespace LinkTracking.Infrastructure.Webhooks;

/// <summary>
/// Standard Webhooks signatures: <c>v1,</c> + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")), where the key is the
/// base64 part of the <c>whsec_…</c> secret. Tested against the specification's published vector, and verified in the
/// tests by the StandardWebhooks package (a receiver's library), not by code of ours.
/// </summary>
public static class StandardWebhookSignature
{
    public static string Sign(string secret, string id, long timestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var key = Convert.FromBase64String(secret.StartsWith(WebhookSecrets.Prefix, StringComparison.Ordinal) ? secret[WebhookSecrets.Prefix.Length..] : secret);
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(mac);
    }
}
