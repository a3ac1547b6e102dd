using System.Net;
using System.Text.Json;
using LinkTracking.Tests.Shared;
using LinkTracking.WebApi.FunctionalTests.Infrastructure;

namespace LinkTracking.WebApi.FunctionalTests;

/// <summary>API key management: secrets shown once, stored hashed, scopes enforced, revocation at once.</summary>
public sealed class ApiKeyTests(TestProvider provider) : ApiFixture(provider)
{
    [Test]
    public async Task Create_ReturnsTheSecretOnce_AndTheKeyWorksWithExactlyItsScopes()
    {
        using var created = await PostJsonAsync(Admin, $"{Api}/api-keys", new { name = "partner-a", scopes = new[] { "clicks:write" } });
        var body = await ReadJsonAsync(created);
        var secret = body.GetProperty("key").GetString()!;
        using var partner = Factory.ClientWithKey(secret);

        using var allowed = await partner.PostAsync($"{Api}/record-clicks", JsonBody("""{"clicks":[{"tracking_id":"lt_unknownlink1"}]}"""));
        using var refused = await PostJsonAsync(partner, $"{Api}/create", new { original_url = "https://example.com/", link_function = "Portfolio" });

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(secret, Does.StartWith("ltk_").And.Length.GreaterThanOrEqualTo(44));
        Assert.That(body.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()), Is.EqualTo(new[] { "clicks:write" }));
        Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task List_ShowsKeysWithoutSecretsOrHashes()
    {
        using var created = await PostJsonAsync(Admin, $"{Api}/api-keys", new { name = "listed", scopes = new[] { "analytics:read" } });
        var secret = (await ReadJsonAsync(created)).GetProperty("key").GetString()!;

        using var list = await Admin.GetAsync($"{Api}/api-keys");
        var text = await list.Content.ReadAsStringAsync();
        var listed = JsonDocument.Parse(text).RootElement.EnumerateArray().Single(k => k.GetProperty("name").GetString() == "listed");

        Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(text, Does.Not.Contain(secret));
        Assert.That(text, Does.Not.Contain(LinkTracking.Infrastructure.Security.ApiKeySecrets.Hash(secret)));
        Assert.That(Names(listed), Is.SupersetOf(new[] { "id", "name", "scopes", "created_at", "last_used_at", "revoked_at" }));
        Assert.That(Names(listed), Does.Not.Contain("key"));
        Assert.That(listed.GetProperty("key_prefix").GetString(), Is.EqualTo(secret[..8]));
    }

    [Test]
    public async Task Revoke_RefusesTheKeyAtOnce_EvenRightAfterItWasUsed()
    {
        using var created = await PostJsonAsync(Admin, $"{Api}/api-keys", new { name = "to-revoke", scopes = new[] { "analytics:read" } });
        var body = await ReadJsonAsync(created);
        using var client = Factory.ClientWithKey(body.GetProperty("key").GetString());
        using var before = await client.GetAsync($"{Api}/report");

        using var revoked = await Admin.DeleteAsync($"{Api}/api-keys/{body.GetProperty("id").GetString()}");
        using var after = await client.GetAsync($"{Api}/report");
        var listed = (await GetJsonAsync($"{Api}/api-keys")).EnumerateArray().Single(k => k.GetProperty("name").GetString() == "to-revoke");

        Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(revoked.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(listed.GetProperty("revoked_at").ValueKind, Is.EqualTo(JsonValueKind.String));
        Assert.That(listed.GetProperty("last_used_at").ValueKind, Is.EqualTo(JsonValueKind.String));
    }

    [Test]
    public async Task Revoke_UnknownId_Is404()
    {
        using var response = await Admin.DeleteAsync($"{Api}/api-keys/{Guid.NewGuid()}");

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [TestCase("""{"name":"","scopes":["admin"]}""", "name")]
    [TestCase("""{"name":"x","scopes":[]}""", "scopes")]
    [TestCase("""{"name":"x","scopes":["root"]}""", "scopes")]
    [TestCase("""{"name":"x"}""", "scopes")]
    public async Task Create_WithBadInput_Is400NamingTheField(string json, string field)
    {
        using var response = await Admin.PostAsync($"{Api}/api-keys", JsonBody(json));

        await AssertValidationErrorAsync(response, field);
    }

    [TestCase("links:write")]
    [TestCase("clicks:write")]
    [TestCase("analytics:read")]
    public async Task KeyManagement_NeedsAdmin(string scope)
    {
        var key = await Factory.CreateApiKeyAsync(scope);
        using var client = Factory.ClientWithKey(key);

        using var list = await client.GetAsync($"{Api}/api-keys");
        using var create = await PostJsonAsync(client, $"{Api}/api-keys", new { name = "escalate", scopes = new[] { "admin" } });

        Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(create.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    private static StringContent JsonBody(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
