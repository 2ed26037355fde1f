using System.Net;
using Levee.Gateway.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Levee.Gateway.Tests.Dashboard;

/// <summary>
/// Every main view of the dashboard rendered with realistic work, on a laptop and a phone, as
/// screenshots: into <c>LEVEE_DASHBOARD_SCREENSHOTS</c> when set (the README's come from
/// <c>docs/images</c> this way), else a temporary folder. A view that does not render fails.
/// </summary>
[Collection(OrleansDashboardCollection.Name)]
public sealed class DashboardScreenshots(OrleansDashboardFactory factory, BrowserFixture browser) : GatewayTest(factory), IClassFixture<BrowserFixture>
{
    private static readonly string[] Views = ["silos-view", "executions-view", "queues-view", "batches-view", "recent-view", "failures-view", "approvals-view", "detail"];

    [ChromiumFact]
    public async Task EveryMainView_Renders_AndIsSaved()
    {
        var billing = new Api(Server.CreateClient(), await NewKeyAsync("acme", "billing", "executions", "workers", "batches"));
        var running = await MakeWorkAsync(billing);
        var folder = Environment.GetEnvironmentVariable("LEVEE_DASHBOARD_SCREENSHOTS") is { Length: > 0 } dir
            ? dir : Path.Combine(Path.GetTempPath(), "levee-dashboard-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);

        var page = await browser.OpenDashboardAsync(Server.CreateClient().BaseAddress!);
        await BrowserFixture.SignInAsync(page, "acme/billing");
        await Expect(page.Locator("#approvals li")).ToHaveCountAsync(1);
        await Expect(page.Locator(".batch .done")).ToHaveTextAsync("6/10");
        await page.EvaluateAsync($"() => {{ location.hash = '#/execution/{running}'; }}");
        await Expect(page.Locator("#detail-output li")).ToHaveCountAsync(3);

        foreach (var view in Views)
        {
            await page.Locator("#" + view).ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(folder, $"dashboard-{view}.png") });
        }
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "dashboard-laptop.png"), FullPage = true });
        await page.SetViewportSizeAsync(390, 844);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "dashboard-phone.png"), FullPage = true });

        Assert.All(Views.Select(v => $"dashboard-{v}.png").Append("dashboard-laptop.png").Append("dashboard-phone.png"),
            file => Assert.True(new FileInfo(Path.Combine(folder, file)).Length > 1000, $"{file} was written"));
    }

    /// <summary>A billing project's afternoon: invoices sent, a card declined, a refund awaiting approval, a report streaming, a batch draining.</summary>
    private static async Task<string> MakeWorkAsync(Api api)
    {
        for (var i = 1; i <= 4; i++)
        {
            await CreateAsync(api, $"inv-2026-{i:D4}", "send-invoice", "invoices", $$"""{"invoice":"INV-{{i}}","amount":{{120 * i}}}""");
            var lease = await ClaimAsync(api, "invoices");
            (await api.PostAsync($"/v1/executions/inv-2026-{i:D4}/complete", $$$"""{"leaseId":"{{{lease}}}","output":{"sent":true}}""")).Is(HttpStatusCode.OK);
        }
        await CreateAsync(api, "charge-8812", "charge-card", "payments", """{"customer":"cus_8812","amount":4999}""");
        var charge = await ClaimAsync(api, "payments");
        (await api.PostAsync("/v1/executions/charge-8812/fail",
            $$$"""{"leaseId":"{{{charge}}}","retryable":false,"error":{"message":"card_declined: insufficient funds","type":"CardError"}}""")).Is(HttpStatusCode.OK);
        await CreateAsync(api, "refund-3301", "refund-order", "payments", """{"order":"ord_3301","amount":1500}""");
        var refund = await ClaimAsync(api, "payments");
        (await api.PostAsync("/v1/executions/refund-3301/approvals",
            $$$"""{"leaseId":"{{{refund}}}","toolCallId":"call_1","tool":"issue-refund","input":{"amount":1500}}""")).Is(HttpStatusCode.Created);
        await CreateAsync(api, "report-q4", "monthly-report", "reports", """{"month":"2026-11"}""");
        var report = await ClaimAsync(api, "reports");
        (await api.PostAsync("/v1/executions/report-q4/output",
            $$"""{"leaseId":"{{report}}","chunks":["Loading 12,408 invoices…","Totals by region computed","Rendering PDF (page 3 of 9)"]}""")).Is(HttpStatusCode.Accepted);
        for (var i = 1; i <= 3; i++)
        {
            await CreateAsync(api, $"email-{i}", "send-receipt", "emails", $$"""{"to":"customer{{i}}@example.com"}""");
        }
        await CreateAsync(api, "reminder-1", "send-reminder", "emails", "{}", ""","delayMs":3600000""");
        var batch = (await api.PostAsync("/v1/batches", """{"runCount":10,"task":"reconcile-account","queue":"reconcile"}""")).Is(HttpStatusCode.Created).Str("id")!;
        var lines = string.Join("\n", Enumerable.Range(0, 10).Select(i => $$$"""{"index":{{{i}}},"input":{"account":"acct_{{{100 + i}}}"}}"""));
        (await api.SendAsync(HttpMethod.Post, $"/v1/batches/{batch}/items", lines, [], "application/x-ndjson")).Is(HttpStatusCode.OK);
        for (var i = 0; i < 6; i++)
        {
            var claim = (await api.PostAsync("/v1/queues/reconcile/claim", """{"workerId":"w1","max":1,"waitMs":10000}""")).Is(HttpStatusCode.OK).Body.GetProperty("claims")[0];
            var id = claim.GetProperty("execution").GetProperty("id").GetString();
            (await api.PostAsync($"/v1/executions/{id}/complete", $$"""{"leaseId":"{{claim.GetProperty("leaseId").GetString()}}"}""")).Is(HttpStatusCode.OK);
        }
        return "report-q4";
    }

    private static async Task CreateAsync(Api api, string id, string task, string queue, string input, string extra = "") =>
        (await api.PostAsync("/v1/executions", $$"""{"id":"{{id}}","task":"{{task}}","queue":"{{queue}}","input":{{input}}{{extra}}}""")).Is(HttpStatusCode.Created);

    private static async Task<string> ClaimAsync(Api api, string queue) =>
        (await api.PostAsync($"/v1/queues/{queue}/claim", """{"workerId":"w1","max":1,"waitMs":10000}""")).Is(HttpStatusCode.OK)
            .Body.GetProperty("claims")[0].GetProperty("leaseId").GetString()!;
}
