using Microsoft.Playwright;

namespace Levee.Gateway.Tests.Infrastructure;

/// <summary>One Playwright driver and one headless Chromium for a test class; each test opens its own context (its own cookies).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The browser; launched on first use, so a class whose tests all skip never starts it.</summary>
    public async Task<IBrowser> BrowserAsync()
    {
        if (_browser is not null)
        {
            return _browser;
        }
        if (!Chromium.Installed)
        {
            throw new InvalidOperationException($"Chromium is not at {Chromium.Path} (CI=true runs browser tests without skipping): install it.");
        }
        // Generous: a shared 2-core machine under a parallel test run.
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.Path,
            Headless = true,
            // Tests run as root in containers, where Chromium's sandbox cannot start.
            Args = ["--no-sandbox"],
        });
        return _browser;
    }

    /// <summary>A fresh context (cookies, storage) whose relative URLs resolve against <paramref name="baseUrl"/>.</summary>
    public async Task<IBrowserContext> NewContextAsync(Uri baseUrl, int width = 1280, int height = 900) =>
        await (await BrowserAsync()).NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });

    /// <summary>A new page of a fresh context at the dashboard, not signed in.</summary>
    public async Task<IPage> OpenDashboardAsync(Uri baseUrl, int width = 1280, int height = 900)
    {
        var page = await (await NewContextAsync(baseUrl, width, height)).NewPageAsync();
        await page.GotoAsync("/");
        return page;
    }

    /// <summary>Signs the page in with the admin key and picks <paramref name="project"/> (<c>tenant/project</c>).</summary>
    public static async Task SignInAsync(IPage page, string project)
    {
        await page.FillAsync("#signin-key", LeveeFactory.AdminKey);
        await page.ClickAsync("#signin button[type=submit]");
        await Assertions.Expect(page.Locator("#app")).ToBeVisibleAsync();
        await page.SelectOptionAsync("#project", project);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}
