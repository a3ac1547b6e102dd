using System.Net;
using System.Text.Json;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>
/// A user corrects a verdict over HTTP, on both providers: the click's category changes with signal
/// <c>user_label</c>, counts follow (the rollups already counted it), the link's history records it; with
/// <c>scope: "origin"</c> a rule classifies that origin's next clicks until it is deleted.
/// 73.162.10.20 is Comcast home broadband (AS7922): its origin is 73.162.10.0/24.
/// </summary>
public sealed class ClickLabelTests(TestProvider provider) : ApiFixture(provider)
{
    private const string Home = "73.162.10.20";
    private const string SameNetwork = "73.162.10.99";
    private const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";

    [Test]
    public async Task LabellingAHumanClickAScanner_MovesItsCount_AndRecordsItInTheLinksHistory()
    {
        var trackingId = await CreateLinkIdAsync();
        var clickId = await RecordAsync(trackingId, Home);
        var counted = await GetStatisticsAsync(trackingId);
        using var writer = Factory.ClientWithKey(await Factory.CreateApiKeyAsync("links:write"));

        using var response = await PostJsonAsync(writer, $"{Api}/clicks/{clickId}/label", new { bot_category = "scanner", note = "our own link checker" });
        var label = await ReadJsonAsync(response);
        var after = await GetStatisticsAsync(trackingId);
        var analytics = await GetJsonAsync($"{Api}/analytics/{trackingId}?include_bots=true");
        var history = await GetJsonAsync($"{Api}/links/{trackingId}/history");
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), label.ToString());
            Assert.That(label.GetProperty("bot_category").GetString(), Is.EqualTo("scanner"));
            Assert.That(label.GetProperty("previous_bot_category").GetString(), Is.EqualTo("human"));
            Assert.That(Signals(label)[0], Is.EqualTo("user_label"));
            Assert.That((counted.GetProperty("total_clicks").GetInt32(), counted.GetProperty("bot_clicks").GetInt32()), Is.EqualTo((1, 0)), "counted as a person first");
            Assert.That((after.GetProperty("total_clicks").GetInt32(), after.GetProperty("bot_clicks").GetInt32()), Is.EqualTo((0, 1)), "then as a scanner");
            Assert.That(analytics.GetProperty("click_statistics").GetProperty("clicks_by_category").GetProperty("scanner").GetInt32(), Is.EqualTo(1));
            Assert.That(Signals(analytics.GetProperty("recent_clicks")[0])[0], Is.EqualTo("user_label"));
            var change = history.GetProperty("changes").EnumerateArray().Single();
            Assert.That(change.GetProperty("field").GetString(), Is.EqualTo("bot_category"));
            Assert.That(change.GetProperty("old_value").GetString(), Is.EqualTo($"{clickId} human"));
            Assert.That(change.GetProperty("new_value").GetString(), Is.EqualTo($"{clickId} scanner: our own link checker"));
        });

        // And back: a bot labelled human counts as a person again.
        using var back = await PostJsonAsync(writer, $"{Api}/clicks/{clickId}/label", new { bot_category = "human" });
        var again = await GetStatisticsAsync(trackingId);
        Assert.That(back.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((again.GetProperty("total_clicks").GetInt32(), again.GetProperty("bot_clicks").GetInt32()), Is.EqualTo((1, 0)));
    }

    [Test]
    public async Task AnOriginLabel_ClassifiesThatOriginsNextClicks_UntilTheRuleIsDeleted()
    {
        var trackingId = await CreateLinkIdAsync();
        var clickId = await RecordAsync(trackingId, Home);

        using var response = await PostJsonAsync(Admin, $"{Api}/clicks/{clickId}/label", new { bot_category = "monitor", scope = "origin", note = "office uptime probe" });
        var label = await ReadJsonAsync(response);
        var next = await RecordAsync(trackingId, SameNetwork);
        var elsewhere = await RecordAsync(trackingId, "23.24.5.6");
        var rules = await GetJsonAsync($"{Api}/classification-rules");
        var clicks = await ExportAsync(trackingId);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), label.ToString());
            Assert.That(label.GetProperty("rule").GetProperty("origin").GetString(), Is.EqualTo("73.162.10.0/24"));
            Assert.That(rules.GetArrayLength(), Is.EqualTo(1));
            Assert.That(rules[0].GetProperty("origin").GetString(), Is.EqualTo("73.162.10.0/24"));
            Assert.That(rules[0].GetProperty("bot_category").GetString(), Is.EqualTo("monitor"));
            Assert.That(rules[0].GetProperty("note").GetString(), Is.EqualTo("office uptime probe"));
            Assert.That(rules[0].GetProperty("click_id").GetString(), Is.EqualTo(clickId));
            Assert.That(clicks[next].GetProperty("bot_category").GetString(), Is.EqualTo("monitor"));
            Assert.That(Signals(clicks[next])[0], Is.EqualTo("origin_rule"));
            Assert.That(clicks[elsewhere].GetProperty("bot_category").GetString(), Is.EqualTo("human"), "another network is untouched");
        });

        using var delete = await Admin.DeleteAsync($"{Api}/classification-rules/{rules[0].GetProperty("id").GetString()}");
        using var deleteAgain = await Admin.DeleteAsync($"{Api}/classification-rules/{rules[0].GetProperty("id").GetString()}");
        var afterDelete = await RecordAsync(trackingId, SameNetwork);
        var exported = await ExportAsync(trackingId);
        Assert.Multiple(() =>
        {
            Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(deleteAgain.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(exported[afterDelete].GetProperty("bot_category").GetString(), Is.EqualTo("human"));
            Assert.That(exported[next].GetProperty("bot_category").GetString(), Is.EqualTo("monitor"), "past clicks keep their category");
        });
    }

    [Test]
    public async Task ABadLabel_IsRejected()
    {
        var trackingId = await CreateLinkIdAsync();
        var clickId = await RecordAsync(trackingId, Home);
        var withoutAddress = await RecordAsync(trackingId, null);
        using var reader = Factory.ClientWithKey(await Factory.CreateApiKeyAsync("analytics:read"));

        using var unknownCategory = await PostJsonAsync(Admin, $"{Api}/clicks/{clickId}/label", new { bot_category = "robot" });
        using var unknownScope = await PostJsonAsync(Admin, $"{Api}/clicks/{clickId}/label", new { bot_category = "scanner", scope = "planet" });
        using var noOrigin = await PostJsonAsync(Admin, $"{Api}/clicks/{withoutAddress}/label", new { bot_category = "scanner", scope = "origin" });
        using var unknownClick = await PostJsonAsync(Admin, $"{Api}/clicks/{Guid.NewGuid()}/label", new { bot_category = "scanner" });
        using var forbidden = await PostJsonAsync(reader, $"{Api}/clicks/{clickId}/label", new { bot_category = "scanner" });

        await AssertValidationErrorAsync(unknownCategory, "bot_category");
        await AssertValidationErrorAsync(unknownScope, "scope");
        await AssertValidationErrorAsync(noOrigin, "scope");
        await AssertProblemAsync(unknownClick, HttpStatusCode.NotFound);
        Assert.That(forbidden.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    private async Task<string> RecordAsync(string trackingId, string? ipAddress)
    {
        using var response = await PostJsonAsync(Admin, $"{Api}/record-click", new { tracking_id = trackingId, ip_address = ipAddress, user_agent = Chrome });
        var receipt = await ReadJsonAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), receipt.ToString());
        return receipt.GetProperty("click_id").GetString()!;
    }

    private async Task<Dictionary<string, JsonElement>> ExportAsync(string trackingId)
    {
        using var export = await Admin.GetAsync($"{Api}/clicks/export?format=ndjson&include_bots=true&tracking_id={trackingId}");
        return (await export.Content.ReadAsStringAsync())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToDictionary(r => r.GetProperty("click_id").GetString()!);
    }

    private static List<string> Signals(JsonElement click) =>
        click.GetProperty("signals").EnumerateArray().Select(s => s.GetString()!).ToList();
}
