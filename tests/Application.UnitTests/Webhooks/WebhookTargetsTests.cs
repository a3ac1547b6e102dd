using LinkTracking.Application.Common.Options;
using LinkTracking.Application.Webhooks;

namespace LinkTracking.Application.UnitTests.Webhooks;

public sealed class WebhookTargetsTests
{
    [TestCase("https://hooks.example.com/in")]
    [TestCase("https://1.1.1.1/hook")]
    [TestCase("https://[2606:4700:4700::1111]/hook")]
    [TestCase("https://[64:ff9b::808:808]/hook")]
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
    [TestCase("https://198.18.0.1/", "non-public")] // benchmarking: accepted, connected to and answered before
    [TestCase("https://203.0.113.9/hook", "non-public")] // documentation
    [TestCase("https://100.100.100.200/latest/meta-data", "non-public")] // shared address space (a cloud metadata service)
    [TestCase("https://[64:ff9b::7f00:1]/in", "non-public")] // NAT64 of 127.0.0.1
    [TestCase("https://[2002:7f00:1::]/in", "non-public")] // 6to4 of 127.0.0.1
    [TestCase("https://[2001:0:808:808:0:0:80ff:fffe]/in", "non-public")] // Teredo, client 127.0.0.1
    [TestCase("https://[::10.0.0.1]/in", "non-public")] // IPv4-compatible 10.0.0.1
    [TestCase("https://app.localhost/in", "this machine")]
    [TestCase("https://localhost./in", "this machine")]
    public void Check_RefusesUnsafeTargets_SayingWhy(string url, string reason) =>
        Assert.That(WebhookTargets.Check(url, new WebhookOptions()), Does.Contain(reason));

    [Test]
    public void Check_AllowsLoopbackHttp_OnlyWhenConfigured()
    {
        var options = new WebhookOptions { AllowPrivateTargets = true, RequireHttps = false };

        Assert.That(WebhookTargets.Check("http://127.0.0.1:5000/hook", options), Is.Null);
    }
}
