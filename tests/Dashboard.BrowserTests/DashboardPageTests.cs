using System.Globalization;
using System.Text;
using System.Text.Json;
using LinkTracking.Domain.ApiKeys;
using Microsoft.Playwright;

namespace LinkTracking.Dashboard.BrowserTests;

/// <summary>The overview, the drill-down, the link page and the forms, on the seeded data set.</summary>
public sealed class DashboardPageTests : BrowserFixture
{
    [Test]
    public async Task Overview_DrawsTheChart_AndItsTotalsMatchTheApiReport([Values(30, 90)] int days)
    {
        var report = await Server.GetJsonAsync($"/api/v1/link-tracking/report?days={days}");
        var stats = report.GetProperty("overall_statistics");
        var categories = report.GetProperty("clicks_by_category");
        Assume.That(stats.GetProperty("total_clicks").GetInt32(), Is.GreaterThan(0), "the seeded data set has human clicks");
        Assume.That(categories.GetProperty("scanner").GetInt32(), Is.GreaterThan(0), "the seeded data set has scanner clicks");
        var errors = new List<string>();
        Page.Console += (_, message) => { if (message.Type == "error") { errors.Add(message.Text); } };
        var (_, secret) = await Server.CreateKeyAsync(Scope.AnalyticsRead);
        await SignInAsync(secret);

        await Page.GetByRole(AriaRole.Link, new() { Name = $"Last {days} days" }).ClickAsync();
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        await Assertions.Expect(Page.Locator("figure[data-chart='traffic'] canvas").First).ToBeVisibleAsync();
        var chart = JsonDocument.Parse(await Page.Locator("figure[data-chart='traffic'] script.chart-data").TextContentAsync() ?? "{}").RootElement;
        int SeriesSum(int index) => chart.GetProperty("series")[index].GetProperty("values").EnumerateArray().Sum(v => v.GetInt32());
        var otherBots = categories.EnumerateObject().Where(c => c.Name is not ("human" or "scanner")).Sum(c => c.Value.GetInt32());
        Assert.Multiple(async () =>
        {
            Assert.That(await TotalAsync("total_clicks"), Is.EqualTo(stats.GetProperty("total_clicks").GetInt32()));
            Assert.That(await TotalAsync("unique_sessions"), Is.EqualTo(stats.GetProperty("unique_sessions").GetInt32()));
            Assert.That(await TotalAsync("links_clicked"), Is.EqualTo(stats.GetProperty("links_clicked").GetInt32()));
            Assert.That(await TotalAsync("scanner_clicks"), Is.EqualTo(categories.GetProperty("scanner").GetInt32()));
            Assert.That(await TotalAsync("total_links"), Is.EqualTo(stats.GetProperty("total_links").GetInt32()));
            Assert.That(chart.GetProperty("days").GetArrayLength(), Is.EqualTo(days));
            Assert.That(SeriesSum(0), Is.EqualTo(stats.GetProperty("total_clicks").GetInt32()), "human bars");
            Assert.That(SeriesSum(1), Is.EqualTo(categories.GetProperty("scanner").GetInt32()), "scanner bars");
            Assert.That(SeriesSum(2), Is.EqualTo(otherBots), "other bot bars");
            Assert.That(await Page.Locator("#top-functions tbody tr").First.Locator("th").InnerTextAsync(),
                Is.EqualTo(report.GetProperty("function_performance")[0].GetProperty("link_function").GetString()));
            Assert.That(errors, Is.Empty, "no script error and no Content-Security-Policy violation");
        });
    }

    [Test]
    public async Task Overview_ShowsTheFunnelOfEveryApplication_AsTheReportCountsIt()
    {
        var report = await Server.GetJsonAsync("/api/v1/link-tracking/report?days=30");
        var (_, secret) = await Server.CreateKeyAsync(Scope.AnalyticsRead);
        await SignInAsync(secret);

        await Page.GotoAsync("/dashboard?days=30");
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var steps = report.GetProperty("funnel").EnumerateArray().ToList();
        Assume.That(steps, Is.Not.Empty, "the report has a funnel");
        Assert.Multiple(async () =>
        {
            foreach (var step in steps)
            {
                var row = Page.Locator($"#funnel tr[data-step='{step.GetProperty("step").GetString()}']");
                Assert.That(await row.Locator("[data-applications]").InnerTextAsync(), Is.EqualTo(step.GetProperty("applications").GetInt32().ToString(CultureInfo.InvariantCulture)));
            }

            Assert.That(await Page.Locator("#funnel tr[data-step='interview'] [data-applications]").InnerTextAsync(), Is.Not.EqualTo("0"), "the seeded interview counts among all applications");
            Assert.That(await Page.Locator("#engagement tr[data-group='human_click']").InnerTextAsync(), Does.Contain("95 % CI"));
        });
    }

    [Test]
    public async Task Overview_ListsTheApplicationAPersonClickedForTheFirstTimeThisWeek()
    {
        var (_, secret) = await Server.CreateKeyAsync(Scope.AnalyticsRead);

        await SignInAsync(secret);

        var firstClicked = Page.Locator("#first-clicked a");
        await Assertions.Expect(firstClicked.First).ToBeVisibleAsync();
        var targets = await firstClicked.EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        Assert.That(targets, Does.Contain($"/dashboard/applications/{DashboardServer.OtherApplicationId}"));
        Assert.That(targets, Does.Not.Contain($"/dashboard/applications/{DashboardServer.ApplicationId}"), "first clicked by a person 10 days ago");
    }

    [Test]
    public async Task DrillDown_FromJobsToALink_ShowsTheLinksClickCountAndMaskedAddresses()
    {
        var analytics = await Server.GetJsonAsync($"/api/v1/link-tracking/analytics/{Server.LinkedInTrackingId}?days=30");
        var (_, secret) = await Server.CreateKeyAsync(Scope.AnalyticsRead);
        await SignInAsync(secret);

        await Page.GetByRole(AriaRole.Link, new() { Name = "Jobs", Exact = true }).ClickAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = DashboardServer.JobId.ToString() }).ClickAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = DashboardServer.ApplicationId.ToString() }).ClickAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "LinkedIn" }).ClickAsync();
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.That(new Uri(Page.Url).AbsolutePath, Is.EqualTo($"/dashboard/links/{Server.LinkedInTrackingId}"));
        var statistics = analytics.GetProperty("click_statistics");
        var recent = await Page.Locator("#recent-clicks tbody").InnerTextAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(statistics.GetProperty("total_clicks").GetInt32(), Is.EqualTo(3), "the seeded human clicks of 30 days");
            Assert.That(await TotalAsync("total_clicks"), Is.EqualTo(3));
            Assert.That(await TotalAsync("bot_clicks"), Is.EqualTo(statistics.GetProperty("bot_clicks").GetInt32()));
            Assert.That(await Page.Locator("#recent-clicks tbody tr").CountAsync(), Is.EqualTo(3));
            Assert.That(recent, Does.Not.Contain("203.0.113.10"), "addresses are masked");
            Assert.That(recent, Does.Contain(analytics.GetProperty("recent_clicks")[0].GetProperty("ip_partial").GetString()));
            Assert.That(await Page.Locator("#tracked-url").InputValueAsync(), Does.EndWith($"/track/{Server.LinkedInTrackingId}"));
            Assert.That(await Page.Locator("figure[data-chart='timeline'] canvas").CountAsync(), Is.GreaterThan(0));
            Assert.That(await Page.GetByRole(AriaRole.Heading, new() { Name = "Clicks by source" }).CountAsync(), Is.EqualTo(1));
            Assert.That(await Page.EvalOnSelectorAsync<int>("figure.qr img", "img => img.complete ? img.naturalWidth : 0"), Is.GreaterThan(0), "the QR code is drawn");
        });
    }

    [Test]
    public async Task Journey_FromTheApplicationPage_ShowsEveryEventInOrderWithPeopleAndMachinesToldApart()
    {
        var journey = await Server.GetJsonAsync($"/api/v1/link-tracking/applications/{DashboardServer.ApplicationId}/journey");
        var events = journey.GetProperty("events").EnumerateArray().ToList();
        var humans = events.Count(e => e.GetProperty("type").GetString() == "click" && e.GetProperty("human").GetBoolean());
        var machines = events.Count(e => e.GetProperty("type").GetString() == "click" && !e.GetProperty("human").GetBoolean());
        Assume.That(humans, Is.GreaterThan(0), "the seeded application has a person's clicks");
        Assume.That(machines, Is.GreaterThan(0), "and a scanner's");
        var (_, secret) = await Server.CreateKeyAsync(Scope.AnalyticsRead);
        await SignInAsync(secret);

        await Page.GotoAsync($"/dashboard/applications/{DashboardServer.ApplicationId}");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Journey" }).ClickAsync();
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var items = Page.Locator("#journey > li");
        var shown = await items.EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.type + (i.dataset.stage ? ':' + i.dataset.stage : ''))");
        var expected = events.Select(e => e.GetProperty("type").GetString() + (e.GetProperty("type").GetString() == "outcome" ? ":" + e.GetProperty("stage").GetString() : ""));
        Assert.Multiple(async () =>
        {
            Assert.That(new Uri(Page.Url).AbsolutePath, Is.EqualTo($"/dashboard/applications/{DashboardServer.ApplicationId}/journey"));
            Assert.That(shown, Is.EqualTo(expected), "every event, oldest first");
            Assert.That(shown, Does.Contain("outcome:replied").And.Contain("outcome:interview"));
            Assert.That(await Page.Locator("#journey li[data-human='true'] .tag.human").CountAsync(), Is.EqualTo(humans));
            Assert.That(await Page.Locator("#journey li[data-human='false'] .tag.machine").CountAsync(), Is.EqualTo(machines));
            Assert.That(await Page.Locator("[data-milestone='current_stage']").InnerTextAsync(), Is.EqualTo("interview"));
            Assert.That(await Page.Locator("[data-milestone='first_human_click']").InnerTextAsync(),
                Is.EqualTo(journey.GetProperty("milestones").GetProperty("first_human_click").GetDateTime().ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)));
            Assert.That(await Page.Locator("[data-milestone='to-interview']").CountAsync(), Is.EqualTo(1), "time from the first human click to the interview");
        });
    }

    [Test]
    public async Task JobPage_ShowsTheFunnelTheRatesWithIntervalsAndTheHeatmap_AsTheApiCountsThem()
    {
        var summary = await Server.GetJsonAsync($"/api/v1/link-tracking/jobs/{DashboardServer.JobId}/summary");
        var heatmapTotal = summary.GetProperty("hour_weekday").EnumerateArray().SelectMany(r => r.EnumerateArray()).Sum(c => c.GetInt32());
        var (_, secret) = await Server.CreateKeyAsync(Scope.AnalyticsRead);
        await SignInAsync(secret);

        await Page.GotoAsync($"/dashboard/jobs/{DashboardServer.JobId}");
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.Multiple(async () =>
        {
            foreach (var step in summary.GetProperty("funnel").EnumerateArray())
            {
                var row = Page.Locator($"#funnel tr[data-step='{step.GetProperty("step").GetString()}']");
                Assert.That(await row.Locator("[data-applications]").InnerTextAsync(), Is.EqualTo(step.GetProperty("applications").GetInt32().ToString(CultureInfo.InvariantCulture)));
            }

            // Two seeded applications (another test may add a package without clicks or outcomes to the job).
            Assert.That(int.Parse(await Page.Locator("#funnel tr[data-step='sent'] [data-applications]").InnerTextAsync(), CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(2));
            Assert.That(await Page.Locator("#funnel tr[data-step='opened_by_person'] [data-applications]").InnerTextAsync(), Is.EqualTo("2"), "both seeded applications had a person's click");
            Assert.That(await Page.Locator("#funnel tr[data-step='interview'] [data-applications]").InnerTextAsync(), Is.EqualTo("1"));
            var human = Page.Locator("#engagement tr[data-group='human_click']");
            Assert.That(await human.InnerTextAsync(), Does.Contain("95 % CI"));
            Assert.That(await human.InnerTextAsync(), Does.Contain("not significant"), "two applications are no finding");
            Assert.That(await Page.Locator("#engagement tr[data-group='opened:LinkedIn']").CountAsync(), Is.EqualTo(1));
            Assert.That(await Page.Locator("#heatmap .hm").CountAsync(), Is.EqualTo(7 * 24));
            Assert.That(await Page.Locator("#heatmap").GetAttributeAsync("data-total"), Is.EqualTo(heatmapTotal.ToString(CultureInfo.InvariantCulture)));
            Assert.That(await Page.Locator("#heatmap .hm:not(.hm-0)").CountAsync(), Is.GreaterThan(0), "the seeded human clicks shade their hours");
        });
    }

    [Test]
    public async Task LinkAndOverview_DrawTheWeekHeatmapOfTheirHumanClicks()
    {
        var analytics = await Server.GetJsonAsync($"/api/v1/link-tracking/analytics/{Server.LinkedInTrackingId}?days=30");
        var cells = analytics.GetProperty("hour_weekday").EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(c => c.GetInt32()).ToList();
        var (_, secret) = await Server.CreateKeyAsync(Scope.AnalyticsRead);
        await SignInAsync(secret);

        await Page.GotoAsync($"/dashboard/links/{Server.LinkedInTrackingId}");
        var shown = await Page.Locator("#heatmap .hm").EvaluateAllAsync<int[]>("cells => cells.map(c => Number(c.dataset.count))");
        await Page.GotoAsync("/dashboard");

        Assert.That(shown, Is.EqualTo(cells), "Monday first, hour 0 first, as the API");
        Assert.That(await Page.Locator("#heatmap .hm").CountAsync(), Is.EqualTo(7 * 24), "the overview has one too");
    }

    [Test]
    public async Task CreateLink_ThroughTheForm_GivesATrackedUrlThatLeadsToTheDestination()
    {
        // The destination is the test service itself under another name (see DashboardSession): following the link
        // really leaves the dashboard's origin.
        var destination = $"http://{DashboardSession.DestinationHost}:{new Uri(Server.BaseUrl).Port}/health/live?ref=dashboard";
        var (_, secret) = await Server.CreateKeyAsync(Scope.AnalyticsRead, Scope.LinksWrite);
        await SignInAsync(secret);

        await Page.GetByRole(AriaRole.Link, new() { Name = "New link" }).ClickAsync();
        await Page.GetByLabel("Destination URL").FillAsync(destination);
        await Page.GetByLabel("Link function").FillAsync("Portfolio");
        await Page.GetByLabel("Application id").FillAsync(DashboardServer.ApplicationId.ToString());
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create link" }).ClickAsync();
        await Page.WaitForURLAsync("**/dashboard/links/*");
        var trackedUrl = await Page.Locator("#tracked-url").InputValueAsync();
        var trackingId = trackedUrl[(trackedUrl.LastIndexOf('/') + 1)..];
        await Page.GotoAsync(trackedUrl);

        Assert.That(Page.Url, Is.EqualTo(destination));
        Assert.That(await Page.InnerTextAsync("body"), Is.EqualTo("Healthy"));
        var link = await Server.GetJsonAsync($"/api/v1/link-tracking/links/{trackingId}");
        Assert.That(link.GetProperty("original_url").GetString(), Is.EqualTo(destination));
        Assert.That(link.GetProperty("application_id").GetGuid(), Is.EqualTo(DashboardServer.ApplicationId));
        var analytics = await Server.GetJsonAsync($"/api/v1/link-tracking/analytics/{trackingId}?include_bots=true");
        Assert.That(analytics.GetProperty("click_statistics").GetProperty("total_clicks").GetInt32(), Is.EqualTo(1), "following it was recorded");
    }

    [Test]
    public async Task CreateLink_WithVariants_SendsTheVisitorToOne_AndTheLinkPageShowsItsNumbers()
    {
        var destination = $"http://{DashboardSession.DestinationHost}:{new Uri(Server.BaseUrl).Port}/health/live";
        var (_, secret) = await Server.CreateKeyAsync(Scope.AnalyticsRead, Scope.LinksWrite);
        await SignInAsync(secret);

        await Page.GotoAsync("/dashboard/links/new");
        await Page.GetByLabel("Destination URL").FillAsync(destination);
        await Page.GetByLabel("Link function").FillAsync("Resume");
        foreach (var (row, key, weight) in new[] { (1, "short", "70"), (2, "long", "30") })
        {
            await Page.GetByLabel($"Variant {row} key").FillAsync(key);
            await Page.GetByLabel($"Variant {row} URL").FillAsync($"{destination}?variant={key}");
            await Page.GetByLabel($"Variant {row} weight").FillAsync(weight);
        }

        await Page.GetByRole(AriaRole.Button, new() { Name = "Create link" }).ClickAsync();
        await Page.WaitForURLAsync("**/dashboard/links/*");
        var linkPage = Page.Url;
        await Page.GotoAsync(await Page.Locator("#tracked-url").InputValueAsync());
        var landedOn = new Uri(Page.Url).Query["?variant=".Length..];
        await Page.GotoAsync(linkPage);

        Assert.That(landedOn, Is.AnyOf("short", "long"));
        await Assertions.Expect(Page.Locator("#variants tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(Page.Locator($"#variants tr[data-variant='{landedOn}'] a.url")).ToHaveTextAsync($"{destination}?variant={landedOn}");
        // The test's headless browser counts as a bot, so the click shows in the API's figures with include_bots.
        var trackingId = linkPage[(linkPage.LastIndexOf('/') + 1)..];
        var analytics = await Server.GetJsonAsync($"/api/v1/link-tracking/analytics/{trackingId}?include_bots=true");
        Assert.That(analytics.GetProperty("variants").GetProperty(landedOn).GetProperty("clicks").GetInt32(), Is.EqualTo(1), "following it was recorded with its variant");
    }

    [Test]
    public async Task CreateLink_WithABadVariant_ShowsTheApisMessageNextToItsField()
    {
        var (_, secret) = await Server.CreateKeyAsync(Scope.AnalyticsRead, Scope.LinksWrite);
        await SignInAsync(secret);

        await Page.GotoAsync("/dashboard/links/new");
        await Page.GetByLabel("Destination URL").FillAsync("https://example.com/cv");
        await Page.GetByLabel("Link function").FillAsync("Resume");
        await Page.GetByLabel("Variant 1 key").FillAsync("a");
        await Page.GetByLabel("Variant 1 URL").FillAsync("https://example.com/a");
        await Page.GetByLabel("Variant 1 weight").FillAsync("50");
        await Page.GetByLabel("Variant 2 key").FillAsync("B!");
        await Page.GetByLabel("Variant 2 URL").FillAsync("https://example.com/b");
        await Page.GetByLabel("Variant 2 weight").FillAsync("50");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create link" }).ClickAsync();
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        await Assertions.Expect(Page.Locator(".field-error[data-field='variants[1].key']")).ToContainTextAsync("lowercase");
        Assert.That(await Page.GetByLabel("Variant 2 URL").InputValueAsync(), Is.EqualTo("https://example.com/b"), "the input is kept");
    }

    [Test]
    public async Task CreateLink_WithBadInput_ShowsTheApisMessagesNextToTheFields()
    {
        var (_, secret) = await Server.CreateKeyAsync(Scope.AnalyticsRead, Scope.LinksWrite);
        using var api = Server.Api(secret);
        using var apiAnswer = await api.PostAsync("/api/v1/link-tracking/create",
            new StringContent("""{"original_url":"javascript:alert(1)","link_function":"Portfolio"}""", Encoding.UTF8, "application/json"));
        var apiMessage = JsonDocument.Parse(await apiAnswer.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").GetProperty("original_url")[0].GetString();
        await SignInAsync(secret);

        await Page.GotoAsync("/dashboard/links/new");
        await Page.GetByLabel("Destination URL").FillAsync("javascript:alert(1)");
        await Page.GetByLabel("Link function").FillAsync("Portfolio");
        await Page.GetByLabel("Job id").FillAsync("not-a-uuid");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create link" }).ClickAsync();
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        await Assertions.Expect(Page.Locator(".field-error[data-field='job_id']")).ToContainTextAsync("UUID");
        await Page.GetByLabel("Job id").FillAsync(string.Empty);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create link" }).ClickAsync();
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        await Assertions.Expect(Page.Locator(".field-error[data-field='original_url']")).ToHaveTextAsync(apiMessage!);
        Assert.That(await Page.GetByLabel("Destination URL").GetAttributeAsync("aria-invalid"), Is.EqualTo("true"));
        Assert.That(await Page.GetByLabel("Destination URL").InputValueAsync(), Is.EqualTo("javascript:alert(1)"), "the input is kept");
    }

    [Test]
    public async Task CreatePackage_ThroughTheForm_CreatesTheJobsLinksOfTheApplication()
    {
        var applicationId = Guid.NewGuid();
        var (_, secret) = await Server.CreateKeyAsync(Scope.AnalyticsRead, Scope.LinksWrite);
        await SignInAsync(secret);

        await Page.GetByRole(AriaRole.Link, new() { Name = "New package" }).ClickAsync();
        await Page.GetByLabel("Application id").FillAsync(applicationId.ToString());
        await Page.GetByLabel("Job id").FillAsync(DashboardServer.JobId.ToString());
        await Page.GetByLabel("Apply URL").FillAsync("https://careers.example.net/apply/42");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create package" }).ClickAsync();
        await Page.WaitForURLAsync($"**/dashboard/applications/{applicationId}");

        await Assertions.Expect(Page.Locator("#links tbody tr")).ToHaveCountAsync(1);
        Assert.That(await Page.Locator("#links").InnerTextAsync(), Does.Contain("https://careers.example.net/apply/42"));
    }

    [Test]
    public async Task LabelAClick_FromTheLinkPagesRecentClicks_CorrectsItsVerdictInTheApi()
    {
        var trackingId = await Server.CreateLinkAsync("https://someone.example.org/cv", "CV", Guid.NewGuid());
        await Server.RecordHumanClicksAsync(trackingId, "203.0.113.40", "203.0.113.41");
        var before = await Server.GetJsonAsync($"/api/v1/link-tracking/analytics/{trackingId}?days=30");
        var clickId = before.GetProperty("recent_clicks")[0].GetProperty("click_id").GetGuid();
        var (_, secret) = await Server.CreateKeyAsync(Scope.AnalyticsRead, Scope.LinksWrite);
        await SignInAsync(secret);

        await Page.GotoAsync($"/dashboard/links/{trackingId}");
        var row = Page.Locator($"#recent-clicks tr[data-click-id='{clickId}']");
        await row.Locator("select[name='bot_category']").SelectOptionAsync("scanner");
        await row.Locator("button").ClickAsync();
        await Page.WaitForURLAsync($"**/dashboard/links/{trackingId}?labelled={clickId}*");

        var after = await Server.GetJsonAsync($"/api/v1/link-tracking/analytics/{trackingId}?days=30&include_bots=true");
        var labelled = after.GetProperty("recent_clicks").EnumerateArray().Single(c => c.GetProperty("click_id").GetGuid() == clickId);
        Assert.Multiple(async () =>
        {
            Assert.That(before.GetProperty("recent_clicks").GetArrayLength(), Is.EqualTo(2));
            Assert.That(labelled.GetProperty("bot_category").GetString(), Is.EqualTo("scanner"));
            Assert.That(labelled.GetProperty("signals").EnumerateArray().Select(s => s.GetString()), Does.Contain("user_label"));
            Assert.That(await Page.Locator("#recent-clicks tbody tr").CountAsync(), Is.EqualTo(1), "only the other person's click is left");
            Assert.That(await Page.Locator($"#recent-clicks tr[data-click-id='{clickId}']").CountAsync(), Is.Zero);
            Assert.That(await Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "labelled" }).InnerTextAsync(), Does.Contain(clickId.ToString()));
        });
    }

    [Test]
    public async Task LinkPage_OffersNoLabel_ToAReadOnlyKey()
    {
        var (_, secret) = await Server.CreateKeyAsync(Scope.AnalyticsRead);
        await SignInAsync(secret);

        await Page.GotoAsync($"/dashboard/links/{Server.LinkedInTrackingId}");

        await Assertions.Expect(Page.Locator("#recent-clicks tbody tr").First).ToBeVisibleAsync();
        Assert.That(await Page.Locator("#recent-clicks form").CountAsync(), Is.Zero);
    }

    [Test]
    public async Task EveryPage_FitsAPhone_WeighsAtMost300KB_AndCarriesTheSecurityHeaders()
    {
        var (_, secret) = await Server.CreateKeyAsync(Scope.AnalyticsRead, Scope.LinksWrite);
        var pages = new (string Name, string Path)[]
        {
            ("overview", "/dashboard"),
            ("overview-90", "/dashboard?days=90"),
            ("jobs", "/dashboard/jobs"),
            ("job", $"/dashboard/jobs/{DashboardServer.JobId}"),
            ("application", $"/dashboard/applications/{DashboardServer.ApplicationId}"),
            ("journey", $"/dashboard/applications/{DashboardServer.ApplicationId}/journey"),
            ("link", $"/dashboard/links/{Server.LinkedInTrackingId}"),
            ("new-link", "/dashboard/links/new"),
            ("new-package", "/dashboard/applications/new"),
        };
        var weights = new StringBuilder("page\twidth\tbytes (uncompressed)\n");
        await Page.GotoAsync("/dashboard/sign-in");
        await MeasureAsync("sign-in", weights);
        await Page.GotoAsync("/dashboard/sign-in");
        await SignInAsync(secret);

        foreach (var (name, path) in pages)
        {
            var response = await Page.GotoAsync(path);
            await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            Assert.That(new Uri(Page.Url).PathAndQuery, Is.EqualTo(path), "signed in, on the page itself");
            var headers = await response!.AllHeadersAsync();
            Assert.That(headers["content-security-policy"], Does.Contain("script-src 'self'").And.Not.Contain("unsafe-inline"), name);
            Assert.That(headers["x-frame-options"], Is.EqualTo("DENY"), name);
            await MeasureAsync(name, weights);
        }

        await File.WriteAllTextAsync(Path.Combine(ArtifactsDirectory, "page-weights.tsv"), weights.ToString());
        TestContext.Out.WriteLine(weights.ToString());
    }

    /// <summary>
    /// At 1280 and 375 px: a full-page screenshot, the page's uncompressed weight (document and every resource it
    /// loaded, from the Resource Timing entries) at most 300 KB, and at 375 px no sideways scrolling.
    /// </summary>
    private async Task MeasureAsync(string name, StringBuilder weights)
    {
        foreach (var width in new[] { DesktopWidth, PhoneWidth })
        {
            await Page.SetViewportSizeAsync(width, 900);
            await Page.ReloadAsync();
            await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await Page.ScreenshotAsync(new() { Path = Path.Combine(ArtifactsDirectory, $"{name}-{width}.png"), FullPage = true });
            var bytes = await Page.EvaluateAsync<long>(
                "() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')).reduce((sum, e) => sum + e.decodedBodySize, 0)");
            var scrollWidth = await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            weights.Append(CultureInfo.InvariantCulture, $"{name}\t{width}\t{bytes}\n");
            Assert.That(bytes, Is.InRange(1, 300 * 1024), $"{name} at {width} px");
            Assert.That(scrollWidth, Is.LessThanOrEqualTo(width), $"{name} at {width} px scrolls sideways");
        }

        await Page.SetViewportSizeAsync(DesktopWidth, 900);
    }
}
