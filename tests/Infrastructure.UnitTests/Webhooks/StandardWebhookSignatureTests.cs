using LinkTracking.Infrastructure.Webhooks;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace LinkTracking.Infrastructure.UnitTests.Webhooks;

/// <summary>
/// Against the Standard Webhooks specification's published test vector, and against a receiver's library (the
/// StandardWebhooks package), so any receiver accepts our signatures — checked by code other than our own.
/// </summary>
public sealed class StandardWebhookSignatureTests
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long Timestamp = 1614265330;
    private const string Body = """{"test": 2432232314}""";
    private const string Expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Test]
    public void Sign_GivesThePublishedSignature()
    {
        Assert.That(StandardWebhookSignature.Sign(Secret, Id, Timestamp, Body), Is.EqualTo(Expected));
    }

    [Test]
    public void ASignatureMadeNow_IsAcceptedByAReceiversLibrary()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var signature = StandardWebhookSignature.Sign(Secret, Id, now, Body);

        Assert.That(() => Receiver().Verify(Body, Headers(Id, now, signature)), Throws.Nothing);
    }

    [Test]
    public void AnyTampering_IsRefusedByAReceiversLibrary()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var signature = StandardWebhookSignature.Sign(Secret, Id, now, Body);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => Receiver().Verify("""{"test": 2432232315}""", Headers(Id, now, signature)), Throws.InstanceOf<WebhookVerificationException>());
            Assert.That(() => Receiver().Verify(Body, Headers("msg_other", now, signature)), Throws.InstanceOf<WebhookVerificationException>());
            Assert.That(() => Receiver().Verify(Body, Headers(Id, now + 1, signature)), Throws.InstanceOf<WebhookVerificationException>());
            Assert.That(() => new StandardWebhook("whsec_" + Convert.ToBase64String(new byte[24])).Verify(Body, Headers(Id, now, signature)), Throws.InstanceOf<WebhookVerificationException>());
        }
    }

    private static StandardWebhook Receiver() => new(Secret);

    private static HeaderDictionary Headers(string id, long timestamp, string signature) => new()
    {
        ["webhook-id"] = id,
        ["webhook-timestamp"] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["webhook-signature"] = signature,
    };
}
