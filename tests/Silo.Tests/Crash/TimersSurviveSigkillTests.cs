using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Levee.Silo.Tests.Infrastructure;

namespace Levee.Silo.Tests.Crash;

/// <summary>Durable timers set before a SIGKILL fire after the restart, each exactly once.</summary>
public sealed class TimersSurviveSigkillTests : IDisposable
{
    /// <summary>Every timer is due 1,500 ms after it is set (written into the request bodies below).</summary>
    private const int DueInMs = 1500;
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Sigkill_WithPendingTimers_EachFiresOnceAfterRestart()
    {
        await using (var silo = await SiloProcess.StartAsync(_dir.Path))
        {
            using var client = silo.CreateClient();
            // delay: claimable only once its availability timer fires
            await client.PostJsonAsync("/v1/executions", """{"id":"delay","task":"t","queue":"q-delay","delayMs":1500}""");
            // deadline: times out
            await client.PostJsonAsync("/v1/executions", """{"id":"deadline","task":"t","queue":"q-deadline","timeouts":{"executionMs":1500}}""");
            // retry backoff: failed attempt 1, attempt 2 due later
            await client.PostJsonAsync("/v1/executions", """{"id":"retry","task":"t","queue":"q-retry"}""");
            var retryLease = await ClaimLeaseAsync(client, "q-retry");
            await client.PostJsonAsync("/v1/executions/retry/fail", """{"leaseId":""" + Quote(retryLease) + ""","error":{"message":"x"},"retryAfterMs":1500}""");
            // approval timeout: expires as denied and re-queues
            await client.PostJsonAsync("/v1/executions", """{"id":"approval","task":"t","queue":"q-approval"}""");
            var approvalLease = await ClaimLeaseAsync(client, "q-approval");
            await client.PostJsonAsync("/v1/executions/approval/approvals", """{"leaseId":""" + Quote(approvalLease) + ""","toolCallId":"c1","tool":"t","timeoutMs":1500}""");
            // lease expiry: the worker never heartbeats
            await client.PostJsonAsync("/v1/executions", """{"id":"lease","task":"t","queue":"q-lease","timeouts":{"heartbeatMs":1500},"retry":{"initialDelayMs":0}}""");
            await ClaimLeaseAsync(client, "q-lease");

            await silo.KillAsync();
        }
        await Task.Delay(DueInMs + 500); // every timer falls due while the silo is down

        await using var restarted = await SiloProcess.StartAsync(_dir.Path);
        using var after = restarted.CreateClient();

        Assert.Equal("delay", await ClaimIdAsync(after, "q-delay"));
        Assert.Equal("timed_out", await WaitForStatusAsync(after, "deadline", "timed_out"));
        Assert.Equal("retry", await ClaimIdAsync(after, "q-retry"));
        Assert.Equal("approval", await ClaimIdAsync(after, "q-approval"));
        Assert.Equal("lease", await ClaimIdAsync(after, "q-lease"));

        // Give a duplicate delivery every chance to show up, then count each timer's effect.
        await Task.Delay(1000);
        Assert.Equal(1, await CountEventsAsync(after, "deadline", "timed_out"));
        Assert.Equal(1, await CountEventsAsync(after, "retry", "retry_scheduled"));
        Assert.Equal(1, await CountEventsAsync(after, "approval", "approval_decided"));
        Assert.Equal(1, await CountEventsAsync(after, "lease", "lease_expired"));
        var approval = await GetAsync(after, "/v1/executions/approval");
        Assert.Equal("expired", approval.GetProperty("approvals")[0].GetProperty("status").GetString());
        Assert.Equal(2, (await GetAsync(after, "/v1/executions/retry")).GetProperty("attempt").GetInt32());
    }

    private static string Quote(string value) => JsonSerializer.Serialize(value);

    private static async Task<string> ClaimLeaseAsync(HttpClient client, string queue) =>
        (await ClaimAsync(client, queue, 5000)).GetProperty("leaseId").GetString()!;

    private static async Task<string?> ClaimIdAsync(HttpClient client, string queue) =>
        (await ClaimAsync(client, queue, 20_000)).GetProperty("execution").GetProperty("id").GetString();

    private static async Task<JsonElement> ClaimAsync(HttpClient client, string queue, int waitMs)
    {
        var reply = await client.PostJsonAsync($"/v1/queues/{queue}/claim", """{"workerId":"w","waitMs":""" + waitMs + "}");
        var claims = reply.GetProperty("claims");
        Assert.True(claims.GetArrayLength() == 1, $"queue {queue} yielded nothing within {waitMs} ms");
        return claims[0];
    }

    private static async Task<string?> WaitForStatusAsync(HttpClient client, string id, string status)
    {
        for (var i = 0; i < 200; i++)
        {
            var current = (await GetAsync(client, $"/v1/executions/{id}")).GetProperty("status").GetString();
            if (current == status)
            {
                return current;
            }
            await Task.Delay(100);
        }
        return (await GetAsync(client, $"/v1/executions/{id}")).GetProperty("status").GetString();
    }

    private static async Task<int> CountEventsAsync(HttpClient client, string id, string type)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/v1/executions/{id}/events?limit=1000", UriKind.Relative));
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await client.SendAsync(request);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        return page.GetProperty("items").EnumerateArray().Count(e => e.GetProperty("type").GetString() == type);
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string path) =>
        await client.GetFromJsonAsync<JsonElement>(new Uri(path, UriKind.Relative));

    public void Dispose() => _dir.Dispose();
}
