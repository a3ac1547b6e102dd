using System.Globalization;
using System.Net;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>
/// <c>/metrics</c> as Prometheus scrapes it: served to the allowed networks (loopback by default) and to admin keys,
/// 404 to anybody else; after known traffic, the service's counters moved by exactly that traffic.
/// </summary>
public sealed class MetricsTests(TestProvider provider) : ApiFixture(provider)
{
    private const string Outsider = "203.0.113.9";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Telemetry:Prometheus:Enabled"] = "true",
        ["RateLimits:ClicksPerMinutePerIp"] = "3",
    };

    [Test]
    public async Task Metrics_FromLoopback_AreServedInPrometheusFormat()
    {
        using var response = await ScrapeResponseAsync("127.0.0.1", key: null);
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain").Or.EqualTo("application/openmetrics-text"));
        Assert.That(text, Does.Contain("# TYPE linktracking_clicks_spool_bytes").And.Contain("process_").And.Contain("dotnet_"));
    }

    [Test]
    public async Task Metrics_FromElsewhere_AreA404WithoutAnAdminKey_AndServedWithOne()
    {
        var analyticsKey = await Factory.CreateApiKeyAsync("analytics:read");

        using var anonymous = await ScrapeResponseAsync(Outsider, key: null);
        using var notAdmin = await ScrapeResponseAsync(Outsider, analyticsKey);
        using var admin = await ScrapeResponseAsync(Outsider, LinkTrackingApiFactory.AdminKey);

        await AssertProblemAsync(anonymous, HttpStatusCode.NotFound);
        await AssertProblemAsync(notAdmin, HttpStatusCode.NotFound);
        Assert.That(admin.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Counters_AfterKnownTraffic_MovedByExactlyThatTraffic()
    {
        var trackingId = await CreateLinkIdAsync();
        var before = await ScrapeAsync();

        for (var i = 0; i < 4; i++)
        {
            using var redirect = await TrackAsync(trackingId, "198.51.100.1"); // the fourth is over the limit of 3
        }

        using (var unknown = await TrackAsync("lt_zzzzzzzzzzzz", "198.51.100.2"))
        using (var malformed = await TrackAsync("lt_BAD", "198.51.100.2"))
        {
            Assert.That((unknown.StatusCode, malformed.StatusCode), Is.EqualTo((HttpStatusCode.NotFound, HttpStatusCode.BadRequest)));
        }

        using (var partner = await PostJsonAsync(Admin, $"{Api}/record-clicks", new { clicks = new[] { new { tracking_id = trackingId }, new { tracking_id = trackingId } } }))
        {
            Assert.That(partner.IsSuccessStatusCode, Is.True, await partner.Content.ReadAsStringAsync());
        }

        await Factory.FlushClicksAsync();
        var after = await ScrapeAsync();

        Assert.Multiple(() =>
        {
            Assert.That(Delta("linktracking_redirects_total", "outcome=\"redirected\""), Is.EqualTo(3));
            Assert.That(Delta("linktracking_redirects_total", "outcome=\"not_found\""), Is.EqualTo(1));
            Assert.That(Delta("linktracking_redirects_total", "outcome=\"malformed\""), Is.EqualTo(1));
            Assert.That(Delta("linktracking_rate_limit_rejections_total", "policy=\"clicks-per-ip\""), Is.EqualTo(1));
            Assert.That(Delta("linktracking_clicks_recorded_total", "category="), Is.EqualTo(5), "3 redirects and 2 partner clicks, whatever their category");
            Assert.That(Delta("linktracking_link_cache_lookups_total", ""), Is.EqualTo(6), "3 redirects, 1 unknown id and 2 partner clicks; the malformed id and the 429 look nothing up");
            Assert.That(Delta("http_server_request_duration_seconds_count", "http_route=\"track/{trackingId}\""), Is.EqualTo(6));
            Assert.That(Delta("linktracking_db_write_batch_size_count", "") + Delta("linktracking_journal_fsync_batch_size_count", ""), Is.GreaterThan(0), "the clicks were written somewhere");
        });

        double Delta(string name, string label) => Sum(after, name, label) - Sum(before, name, label);
    }

    private Task<HttpResponseMessage> TrackAsync(string trackingId, string ip)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/track/{trackingId}");
        request.Headers.Add(LinkTrackingApiFactory.RemoteIpHeader, ip);
        return Anonymous.SendAsync(request);
    }

    private async Task<string> ScrapeAsync()
    {
        using var response = await ScrapeResponseAsync("127.0.0.1", key: null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return text;
    }

    private Task<HttpResponseMessage> ScrapeResponseAsync(string ip, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Add(LinkTrackingApiFactory.RemoteIpHeader, ip);
        request.Headers.Add("Accept", "text/plain");
        request.Headers.Add("Accept-Encoding", "identity"); // the browser-like client asks for gzip otherwise
        if (key is not null)
        {
            request.Headers.Add("X-API-Key", key);
        }

        return Anonymous.SendAsync(request);
    }

    /// <summary>The sum of every sample of <paramref name="name"/> whose labels contain <paramref name="label"/> (0 when none).</summary>
    private static double Sum(string exposition, string name, string label)
    {
        var sum = 0.0;
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith('#') || !(line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal)))
            {
                continue;
            }

            var labels = line.Contains('{', StringComparison.Ordinal) ? line[line.IndexOf('{', StringComparison.Ordinal)..(line.LastIndexOf('}') + 1)] : "";
            if (!labels.Contains(label, StringComparison.Ordinal))
            {
                continue;
            }

            var value = line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0];
            sum += double.Parse(value, CultureInfo.InvariantCulture);
        }

        return sum;
    }
}
