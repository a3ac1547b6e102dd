using Microsoft.AspNetCore.Http;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace LinkTracking.Tests.Shared;

/// <summary>
/// Checks received webhooks with the StandardWebhooks package — a receiver's library, written independently of the
/// service — rather than with the service's own signing code, which would only check the code against itself. (The
/// package reads only the first signature of a <c>webhook-signature</c> header; the service sends exactly one.)
/// </summary>
public static class WebhookSignatures
{
    /// <summary>
    /// What a receiver does: <c>StandardWebhook.Verify</c> over the three headers, which also refuses a timestamp more
    /// than five minutes from the receiver's clock. For deliveries sent on the wall clock.
    /// </summary>
    public static bool AcceptedByAReceiver(string secret, ReceivedWebhook webhook)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        var headers = new HeaderDictionary
        {
            ["webhook-id"] = webhook.Id,
            ["webhook-timestamp"] = webhook.Timestamp,
            ["webhook-signature"] = webhook.Signature,
        };
        try
        {
            new StandardWebhook(secret).Verify(webhook.Body, headers);
            return true;
        }
        catch (WebhookVerificationException)
        {
            return false;
        }
    }

    /// <summary>
    /// The package's signature of the delivery's id, timestamp and body is among those it carries. For deliveries stamped
    /// by a test's fake clock, whose timestamps a receiver would refuse as too old.
    /// </summary>
    public static bool SignedWith(string secret, ReceivedWebhook webhook)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        if (webhook.Id is null || !long.TryParse(webhook.Timestamp, out var seconds) || webhook.Signature is null)
        {
            return false;
        }

        var expected = new StandardWebhook(secret).Sign(webhook.Id, DateTimeOffset.FromUnixTimeSeconds(seconds), webhook.Body);
        return webhook.Signature.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(expected, StringComparer.Ordinal);
    }
}
