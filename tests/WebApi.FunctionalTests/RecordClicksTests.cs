using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>POST record-clicks: a batch of partner clicks, each accepted or rejected on its own.</summary>
public sealed class RecordClicksTests(TestProvider provider) : ApiFixture(provider)
{
    private const string RecordClicks = Api + "/record-clicks";

    [Test]
    public async Task RecordClicks_WithMixedItems_ReturnsOneStatusPerItemInOrderAndStoresTheValidOnes()
    {
        var active = await CreateLinkIdAsync();
        var inactive = await CreateLinkIdAsync();
        await SetActiveAsync(inactive, active: false);
        var clicks = new object[]
        {
            new { tracking_id = active, session_id = "s1" },
            new { tracking_id = "lt_doesnotexist1" },
            new { tracking_id = inactive },
            new { tracking_id = active, ip_address = "not-an-ip" },
            new { tracking_id = active, session_id = "s2" },
        };

        using var response = await PostJsonAsync(Admin, RecordClicks, new { clicks });
        var activeStats = await GetStatisticsAsync(active);
        var inactiveStats = await GetStatisticsAsync(inactive);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var results = (await ReadJsonAsync(response)).GetProperty("results");
        Assert.Multiple(() =>
        {
            Assert.That(Statuses(results), Is.EqualTo(new[] { 201, 404, 409, 400, 201 }));
            Assert.That(results.EnumerateArray().Select(r => r.GetProperty("index").GetInt32()), Is.EqualTo(new[] { 0, 1, 2, 3, 4 }));
            Assert.That(results[0].GetProperty("click_id").GetGuid(), Is.Not.EqualTo(Guid.Empty));
            Assert.That(results[0].GetProperty("click_source").GetString(), Is.EqualTo("direct"));
            Assert.That(Names(results[3].GetProperty("errors")), Does.Contain("ip_address"));
            Assert.That(activeStats.GetProperty("total_clicks").GetInt32(), Is.EqualTo(2));
            Assert.That(activeStats.GetProperty("unique_sessions").GetInt32(), Is.EqualTo(2));
            Assert.That(inactiveStats.GetProperty("total_clicks").GetInt32(), Is.Zero);
        });
    }

    [Test]
    public async Task RecordClicks_WithAnItemWhoseFieldHasTheWrongType_RejectsThatItemAlone()
    {
        var trackingId = await CreateLinkIdAsync();
        var body = $$"""
            { "clicks": [
                { "tracking_id": "{{trackingId}}", "session_id": "a" },
                { "tracking_id": "{{trackingId}}", "session_id": 42 },
                { "tracking_id": "{{trackingId}}", "session_id": "c" }
            ] }
            """;

        using var response = await Admin.PostAsync(RecordClicks, new StringContent(body, Encoding.UTF8, "application/json"));
        var stats = await GetStatisticsAsync(trackingId);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var results = (await ReadJsonAsync(response)).GetProperty("results");
        Assert.Multiple(() =>
        {
            Assert.That(Statuses(results), Is.EqualTo(new[] { 201, 400, 201 }));
            Assert.That(Names(results[1].GetProperty("errors")), Is.EqualTo(new[] { "session_id" }));
            Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task RecordClicks_WithAnItemThatIsNotAnObject_RejectsThatItemAlone()
    {
        var trackingId = await CreateLinkIdAsync();
        var body = $$"""{ "clicks": [ "{{trackingId}}", { "tracking_id": "{{trackingId}}" } ] }""";

        using var response = await Admin.PostAsync(RecordClicks, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(Statuses((await ReadJsonAsync(response)).GetProperty("results")), Is.EqualTo(new[] { 400, 201 }));
    }

    [Test]
    public async Task RecordClicks_WithTheSameEventIdTwice_AcknowledgesBothWithOneClickId()
    {
        var trackingId = await CreateLinkIdAsync();
        var click = new { tracking_id = trackingId, event_id = "evt-dup" };

        using var response = await PostJsonAsync(Admin, RecordClicks, new { clicks = new[] { click, click } });
        using var retry = await PostJsonAsync(Admin, RecordClicks, new { clicks = new[] { click } });
        var stats = await GetStatisticsAsync(trackingId);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var results = (await ReadJsonAsync(response)).GetProperty("results");
        var retried = (await ReadJsonAsync(retry)).GetProperty("results");
        Assert.Multiple(() =>
        {
            Assert.That(Statuses(results), Is.EqualTo(new[] { 201, 201 }));
            Assert.That(results[1].GetProperty("click_id").GetGuid(), Is.EqualTo(results[0].GetProperty("click_id").GetGuid()));
            Assert.That(retried[0].GetProperty("click_id").GetGuid(), Is.EqualTo(results[0].GetProperty("click_id").GetGuid()));
            Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task RecordClicks_With1000Items_StoresThemAll()
    {
        var trackingId = await CreateLinkIdAsync();
        var clicks = Enumerable.Range(0, 1000).Select(i => new { tracking_id = trackingId, event_id = $"e{i}" }).ToArray();

        using var response = await PostJsonAsync(Admin, RecordClicks, new { clicks });
        var stats = await GetStatisticsAsync(trackingId);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(Statuses((await ReadJsonAsync(response)).GetProperty("results")), Has.Length.EqualTo(1000).And.All.EqualTo(201));
        Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.EqualTo(1000));
    }

    [Test]
    public async Task RecordClicks_WithMoreThan1000Items_ReturnsValidationErrorAndStoresNothing()
    {
        var trackingId = await CreateLinkIdAsync();
        var clicks = Enumerable.Range(0, 1001).Select(_ => new { tracking_id = trackingId }).ToArray();

        using var response = await PostJsonAsync(Admin, RecordClicks, new { clicks });
        var stats = await GetStatisticsAsync(trackingId);

        await AssertValidationErrorAsync(response, "clicks");
        Assert.That(stats.GetProperty("total_clicks").GetInt32(), Is.Zero);
    }

    [Test]
    public async Task RecordClicks_WithAnEmptyList_ReturnsValidationError()
    {
        using var response = await PostJsonAsync(Admin, RecordClicks, new { clicks = Array.Empty<object>() });

        await AssertValidationErrorAsync(response, "clicks");
    }

    [Test]
    public async Task RecordClicks_WithoutClicks_ReturnsValidationError()
    {
        using var response = await PostJsonAsync(Admin, RecordClicks, new { items = new[] { 1 } });

        await AssertValidationErrorAsync(response, "clicks");
    }

    [Test]
    public async Task RecordClicks_WhenClicksIsNotAList_ReturnsValidationError()
    {
        using var response = await Admin.PostAsync(RecordClicks, new StringContent("""{ "clicks": "many" }""", Encoding.UTF8, "application/json"));

        await AssertValidationErrorAsync(response, "clicks");
    }

    [Test]
    public async Task RecordClicks_WithClicksWriteKey_IsAccepted()
    {
        var trackingId = await CreateLinkIdAsync();
        using var partner = Factory.ClientWithKey(await Factory.CreateApiKeyAsync("clicks:write"));

        using var response = await partner.PostAsJsonAsync(RecordClicks, new { clicks = new[] { new { tracking_id = trackingId } } }, LinkTrackingApiFactory.Json);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(Statuses((await ReadJsonAsync(response)).GetProperty("results")), Is.EqualTo(new[] { 201 }));
    }

    private static int[] Statuses(JsonElement results) =>
        results.EnumerateArray().Select(r => r.GetProperty("status").GetInt32()).ToArray();
}
