using LinkTracking.Application.Common.Options;
using LinkTracking.Application.Webhooks;

namespace LinkTracking.Application.UnitTests.Webhooks;

public sealed class WebhookTargetsTests
{
    [TestCase("https://hooks.example.com/in")]
    [TestCase("https://203.0.113.9/hook")]
    public void Check_AcceptsPublicHttpsTargets(string url) =>
        Assert.That(WebhookTargets.Check(url, new WebhookOptions()), Is.Null);

    [TestCase("http://hooks.example.com/in", "https")]
    [TestCase("ftp://hooks.example.com/in", "http or https")]
    [TestCase("hooks.example.com/in", "http or https")]
    [TestCase("https://user:pw@hooks.example.com/in", "user info")]
    [TestCase("https://localhost/in", "this machine")]
    [TestCase("https://127.0.0.1:8080/in", "this machine")]
    [TestCase("https://10.1.2.3/in", "private")]
    [TestCase("https://192.168.0.10/in", "private")]
    [TestCase("https://169.254.169.254/latest/meta-data", "private")]
    [TestCase("https://[::1]/in", "this machine")]
    [TestCase("https://[fd00::1]/in", "private")]
    [TestCase("https://[::ffff:10.0.0.1]/in", "private")]
    public void Check_RefusesUnsafeTargets_SayingWhy(string url, string reason) =>
        Assert.That(WebhookTargets.Check(url, new WebhookOptions()), Does.Contain(reason));

    [Test]
    public void Check_AllowsLoopbackHttp_OnlyWhenConfigured()
    {
        var options = new WebhookOptions { AllowPrivateTargets = true, RequireHttps = false };

        Assert.That(WebhookTargets.Check("http://127.0.0.1:5000/hook", options), Is.Null);
    }
}
