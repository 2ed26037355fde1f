using System.Net;
using System.Text.Json;
using Levee.Client.Tests.Infrastructure;
using Levee.Gateway.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Levee.Gateway.Tests.Dashboard;

/// <summary>
/// Levee's dashboard in a real Chromium (Playwright through <c>ExecutablePath</c>), against a real
/// silo with the Orleans Dashboard on. Work is made over the API; the page must follow it live.
/// </summary>
[Collection(OrleansDashboardCollection.Name)]
public sealed class DashboardBrowserTests(OrleansDashboardFactory factory, BrowserFixture browser) : GatewayTest(factory), IClassFixture<BrowserFixture>
{
    /// <summary>What each user-text field carries in the escaping test: it would set <c>window.__pwned</c> if it ran.</summary>
    private const string Payload = """<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">""";

    private Uri BaseUrl => Server.CreateClient().BaseAddress!;

    [ChromiumFact]
    public async Task SignIn_WrongKeyIsRefused_TheAdminKeyShowsTheSilos()
    {
        var page = await OpenAsync(BaseUrl);

        await page.FillAsync("#signin-key", "not-the-admin-key");
        await page.ClickAsync("#signin button[type=submit]");
        await Expect(page.Locator("#signin-error")).ToContainTextAsync("unknown");
        await Expect(page.Locator("#app")).ToBeHiddenAsync();

        await SignInAsync(page);
        await Expect(page.Locator("#silos tr").First).ToContainTextAsync("active");
        await Expect(page.Locator("#silos tr").First.Locator("td").Nth(2)).ToContainTextAsync("127.0.0.1:");
    }

    [ChromiumFact]
    public async Task AnExecutionCreatedOverTheApi_AppearsAndTurnsSucceeded_WithoutAReload()
    {
        var page = await SignedInAsync(BaseUrl);
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");

        (await CreateAsync("pw-live", extra: ""","queue":"pw-live" """)).Is(HttpStatusCode.Created);
        var status = page.Locator("#executions tr[data-id='pw-live'] td.status");
        await Expect(status).ToHaveTextAsync("queued");
        await ClaimAndCompleteAsync("pw-live");

        await Expect(status).ToHaveTextAsync("succeeded");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"));
    }

    [ChromiumFact]
    public async Task ABatchsProgressBar_MovesToCompletion()
    {
        var page = await SignedInAsync(BaseUrl);
        var id = await CreateSealedBatchAsync(3, "pw-batch");
        var batch = page.Locator($".batch[data-id='{id}']");
        await Expect(batch.Locator("progress")).ToHaveAttributeAsync("value", "0");
        await Expect(batch.Locator("progress")).ToHaveAttributeAsync("max", "3");

        for (var done = 1; done <= 3; done++)
        {
            await ClaimAndCompleteAsync("pw-batch");
            await Expect(batch.Locator(".done")).ToHaveTextAsync($"{done}/3");
        }

        await Expect(batch.Locator("progress")).ToHaveAttributeAsync("value", "3");
        await Expect(batch.Locator(".status")).ToHaveTextAsync("completed");
    }

    [ChromiumFact]
    public async Task TheDrillDownStream_ResumesAfterTheServerDropsIt_WithNoGapAndNoRepeat()
    {
        await using var proxy = new TcpProxy(BaseUrl);
        var page = await SignedInAsync(proxy.Url);
        await CreateAsync("pw-drop", extra: ""","queue":"pw-drop" """);
        var lease = (await ClaimAsync("pw-drop", waitMs: 10_000)).Is(HttpStatusCode.OK).Body.GetProperty("claims")[0].GetProperty("leaseId").GetString();
        await page.EvaluateAsync("() => { location.hash = '#/execution/pw-drop'; }");
        await Expect(page.Locator("#detail-stream")).ToHaveTextAsync("live");

        await AppendAsync("pw-drop", lease, "\"first\"");
        var chunks = page.Locator("#detail-output li");
        await Expect(chunks).ToHaveTextAsync(["first"]);
        var connections = proxy.Connections;
        proxy.DropAll();
        // Written while the stream is down: only a resume from Last-Event-ID brings it, once.
        await AppendAsync("pw-drop", lease, "\"second\"");

        await Expect(chunks).ToHaveTextAsync(["first", "second"]);
        Assert.True(proxy.Connections > connections, "the page reconnected through the proxy");
        await AppendAsync("pw-drop", lease, "\"third\"");
        await Expect(chunks).ToHaveTextAsync(["first", "second", "third"]);
        var seqs = await page.EvaluateAsync<long[]>("() => [...document.querySelectorAll('#detail-events li')].map(li => Number(li.dataset.seq))");
        Assert.Equal(Enumerable.Range(1, seqs.Length).Select(i => (long)i), seqs);
    }

    [ChromiumFact]
    public async Task TheOrleansDashboard_IsRefusedBeforeSignIn_AndReachableAfter()
    {
        var page = await OpenAsync(BaseUrl);

        var before = await page.GotoAsync("/dashboard/");
        Assert.Equal(401, before!.Status);

        await page.GotoAsync("/");
        await SignInAsync(page);
        await Expect(page.Locator("#orleans-link")).ToBeVisibleAsync();
        var after = await page.GotoAsync("/dashboard/");
        Assert.Equal(200, after!.Status);
    }

    [ChromiumFact]
    public async Task UserText_TaskMetadataOutputAndError_IsShownAsText_NeverRun()
    {
        var text = JsonSerializer.Serialize(Payload);
        (await Client.PostAsync("/v1/executions", $$"""{"id":"pw-xss","task":{{text}},"queue":"pw-xss","metadata":{"note":{{text}}""" + "}}")).Is(HttpStatusCode.Created);
        var lease = (await ClaimAsync("pw-xss", waitMs: 10_000)).Is(HttpStatusCode.OK).Body.GetProperty("claims")[0].GetProperty("leaseId").GetString();
        await AppendAsync("pw-xss", lease, text);
        (await Client.PostAsync("/v1/executions/pw-xss/fail", $$"""{"leaseId":"{{lease}}","retryable":false,"error":{"message":{{text}}""" + "}}")).Is(HttpStatusCode.OK);

        var page = await SignedInAsync(BaseUrl);
        await Expect(page.Locator("#executions tr[data-id='pw-xss'] td.task")).ToHaveTextAsync(Payload);
        await Expect(page.Locator("#failures li[data-id='pw-xss'] .error")).ToHaveTextAsync(Payload);
        await page.EvaluateAsync("() => { location.hash = '#/execution/pw-xss'; }");
        await Expect(page.Locator("#detail-output li")).ToHaveTextAsync([Payload]);
        await Expect(page.Locator("#detail-fields dd[data-field='error']")).ToHaveTextAsync(Payload);
        await Expect(page.Locator("#detail-fields dd[data-field='metadata']")).ToContainTextAsync("<script>");

        Assert.True(await page.EvaluateAsync<bool>("() => window.__pwned === undefined"));
        Assert.Equal(0, await page.Locator("main img, main script").CountAsync());
    }

    private async Task AppendAsync(string id, string? lease, string chunkJson) =>
        (await Client.PostAsync($"/v1/executions/{id}/output", $$"""{"leaseId":"{{lease}}","chunks":[{{chunkJson}}]}""")).Is(HttpStatusCode.Accepted);

    private Task<IPage> OpenAsync(Uri baseUrl) => browser.OpenDashboardAsync(baseUrl);

    private Task SignInAsync(IPage page) => BrowserFixture.SignInAsync(page, $"{Tenant}/p");

    private async Task<IPage> SignedInAsync(Uri baseUrl)
    {
        var page = await OpenAsync(baseUrl);
        await SignInAsync(page);
        return page;
    }
}
