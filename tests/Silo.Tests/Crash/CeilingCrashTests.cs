using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Levee.Silo.Tests.Infrastructure;

namespace Levee.Silo.Tests.Crash;

/// <summary>Ceilings survive SIGKILL: a deadline timer set before the crash fires after it; an acknowledged cost counts against the budget.</summary>
public sealed class CeilingCrashTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Sigkill_BeforeTheDeadline_AbortsWithReasonDeadlineAfterRestart()
    {
        // Long enough that the batch is sealed before it expires even on a loaded machine (at
        // 1.5 s it once expired first, and the items were refused as batch_aborted).
        const int DeadlineMs = 8000;
        string id;
        DateTime created;
        await using (var silo = await SiloProcess.StartAsync(_dir.Path))
        {
            using var client = silo.CreateClient();
            created = DateTime.UtcNow;
            id = await CreateSealedAsync(client, $$"""{"deadlineMs":{{DeadlineMs}}}""");
            await silo.KillAsync();
        }
        // The deadline passes while the silo is down.
        var expired = created.AddMilliseconds(DeadlineMs + 500) - DateTime.UtcNow;
        if (expired > TimeSpan.Zero)
        {
            await Task.Delay(expired);
        }

        await using var restarted = await SiloProcess.StartAsync(_dir.Path);
        using var again = restarted.CreateClient();
        var batch = await BatchWhenAsync(again, id, b => b.GetProperty("counts").GetProperty("cancelled").GetInt64() == 3);

        Assert.Equal(("aborted", "deadline"), (batch.GetProperty("status").GetString(), batch.GetProperty("abortReason").GetString()));
        Assert.Equal(3, batch.GetProperty("counts").GetProperty("cancelled").GetInt64());
    }

    [Fact]
    public async Task Sigkill_RightAfterAnAcknowledgedCost_TheBudgetStillAbortsAfterRestart()
    {
        string id;
        await using (var silo = await SiloProcess.StartAsync(_dir.Path))
        {
            using var client = silo.CreateClient();
            id = await CreateSealedAsync(client, """{"budget":{"limit":1,"unit":"usd"}}""");
            var claim = (await client.PostJsonAsync("/v1/queues/cq/claim", """{"workerId":"w","waitMs":5000}""")).GetProperty("claims")[0];
            var child = claim.GetProperty("execution").GetProperty("id").GetString();
            var lease = claim.GetProperty("leaseId").GetString();
            var done = await client.PostJsonAsync($"/v1/executions/{child}/complete", $$"""{"leaseId":"{{lease}}","cost":2.5}""");
            Assert.Equal(2.5m, done.GetProperty("cost").GetDecimal());
            await silo.KillAsync(); // the child's report to its batch may not have been delivered yet
        }

        await using var restarted = await SiloProcess.StartAsync(_dir.Path);
        using var again = restarted.CreateClient();
        var batch = await BatchWhenAsync(again, id, b => b.GetProperty("counts").GetProperty("cancelled").GetInt64() == 2);

        Assert.Equal(("aborted", "budget"), (batch.GetProperty("status").GetString(), batch.GetProperty("abortReason").GetString()));
        Assert.Equal(2.5m, batch.GetProperty("spent").GetDecimal());
        Assert.Equal((1L, 2L), (batch.GetProperty("counts").GetProperty("succeeded").GetInt64(), batch.GetProperty("counts").GetProperty("cancelled").GetInt64()));
    }

    private static async Task<string> CreateSealedAsync(HttpClient client, string ceilings)
    {
        var id = (await client.PostJsonAsync("/v1/batches", $$"""{"runCount":3,"task":"t","queue":"cq","ceilings":{{ceilings}}}""")).GetProperty("id").GetString()!;
        using var content = new StringContent("{\"index\":0}\n{\"index\":1}\n{\"index\":2}\n", Encoding.UTF8, "application/x-ndjson");
        (await client.PostAsync(new Uri($"/v1/batches/{id}/items", UriKind.Relative), content)).EnsureSuccessStatusCode();
        return id;
    }

    private static async Task<JsonElement> BatchWhenAsync(HttpClient client, string id, Func<JsonElement, bool> done)
    {
        JsonElement batch = default;
        for (var i = 0; i < 300; i++)
        {
            batch = await client.GetFromJsonAsync<JsonElement>(new Uri($"/v1/batches/{id}", UriKind.Relative));
            if (batch.GetProperty("status").GetString() == "aborted" && done(batch))
            {
                break;
            }
            await Task.Delay(100);
        }
        return batch;
    }

    public void Dispose() => _dir.Dispose();
}
