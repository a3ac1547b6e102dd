using Microsoft.Playwright;

namespace LinkTracking.Dashboard.BrowserTests;

/// <summary>
/// One service and one headless Debian Chromium for every dashboard test, started before the first and stopped after
/// the last. Chromium comes from the Debian package (<c>LINKTRACKING_CHROMIUM</c> overrides the path): Playwright's
/// own browser download is never used.
/// </summary>
[SetUpFixture]
public sealed class DashboardSession
{
    public const string ChromiumVariable = "LINKTRACKING_CHROMIUM";
    public const string DestinationHost = "careers.example.net";

    private static DashboardServer? _server;
    private static IPlaywright? _playwright;
    private static IBrowser? _browser;

    public static DashboardServer Server => _server ?? throw new InvalidOperationException("Not started.");

    public static IBrowser Browser => _browser ?? throw new InvalidOperationException("Not started.");

    public static string ChromiumPath => Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } path ? path : "/usr/bin/chromium";

    [OneTimeSetUp]
    public static async Task StartAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            Assert.Fail($"Chromium not found at {ChromiumPath}: run ./test.sh (it installs Debian's chromium) or set {ChromiumVariable}.");
        }

        _server = await DashboardServer.StartAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // The destinations of links the tests follow are names that lead back to the test service: nothing leaves
            // the machine.
            Args = [$"--host-resolver-rules=MAP {DestinationHost} 127.0.0.1"],
        });
    }

    [OneTimeTearDown]
    public static async Task StopAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>Each test gets its own browser context: its own cookies, nothing shared with another test.</summary>
public abstract class BrowserFixture
{
    public const int DesktopWidth = 1280;
    public const int PhoneWidth = 375;

    private IBrowserContext? _context;

    protected static DashboardServer Server => DashboardSession.Server;

    protected IBrowserContext Context => _context ?? throw new InvalidOperationException("No context.");

    protected IPage Page { get; private set; } = null!;

    /// <summary>Screenshots and page weights: git-ignored, kept by CI as test artefacts.</summary>
    protected static string ArtifactsDirectory => Directory.CreateDirectory(
        LinkTracking.Tests.Shared.RepositoryRoot.Combine("tests", "Dashboard.BrowserTests", "artifacts")).FullName;

    [SetUp]
    public async Task NewContextAsync()
    {
        _context = await DashboardSession.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseUrl,
            ViewportSize = new ViewportSize { Width = DesktopWidth, Height = 900 },
        });
        Page = await _context.NewPageAsync();
    }

    [TearDown]
    public async Task CloseContextAsync()
    {
        if (_context is not null)
        {
            await _context.CloseAsync();
        }
    }

    /// <summary>Signs in through the form, submitting it with the keyboard (Enter in the key field).</summary>
    protected async Task SignInAsync(string apiKey)
    {
        await Page.GotoAsync("/dashboard/sign-in");
        var field = Page.GetByLabel("API key");
        await field.FillAsync(apiKey);
        var answer = await Page.RunAndWaitForResponseAsync(() => field.PressAsync("Enter"), r => r.Request.Method == "POST");
        if (answer.Status == 302)
        {
            await Page.WaitForURLAsync(url => !url.Contains("/dashboard/sign-in", StringComparison.Ordinal));
        }
        else
        {
            await Page.GetByRole(AriaRole.Alert).WaitForAsync();
        }

        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    /// <summary>The number shown for a total (<c>data-total</c>) on the current page.</summary>
    protected async Task<int> TotalAsync(string name)
    {
        var text = await Page.Locator($"[data-total='{name}']").First.InnerTextAsync();
        return int.Parse(text.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
