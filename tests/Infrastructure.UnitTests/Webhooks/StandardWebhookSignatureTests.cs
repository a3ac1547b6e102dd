using LinkTracking.Infrastructure.Webhooks;

namespace LinkTracking.Infrastructure.UnitTests.Webhooks;

/// <summary>Against the Standard Webhooks specification's published test vector, so any receiver's library accepts our signatures.</summary>
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
    public void Verify_AcceptsThePublishedSignatureAmongOthers_AndRefusesAnyTampering()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(StandardWebhookSignature.Verify(Secret, Id, Timestamp, Body, "v1,Zm9vYmFy " + Expected), Is.True);
            Assert.That(StandardWebhookSignature.Verify(Secret, Id, Timestamp, """{"test": 2432232315}""", Expected), Is.False);
            Assert.That(StandardWebhookSignature.Verify(Secret, "msg_other", Timestamp, Body, Expected), Is.False);
            Assert.That(StandardWebhookSignature.Verify(Secret, Id, Timestamp + 1, Body, Expected), Is.False);
        }
    }
}
