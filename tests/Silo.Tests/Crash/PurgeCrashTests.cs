using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Levee.Silo.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Levee.Silo.Tests.Crash;

/// <summary>A batch deleted just before SIGKILL: still 404 after the restart, and its purge goes on until no row of it is left.</summary>
public sealed class PurgeCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Children = 10_000;
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Sigkill_InTheMiddleOfAPurge_TheBatchStaysDeleted_AndThePurgeFinishesAfterRestart()
    {
        string id;
        await using (var silo = await SiloProcess.StartAsync(_dir.Path))
        {
            using var client = silo.CreateClient();
            id = (await client.PostJsonAsync("/v1/batches", $$"""{"runCount":{{Children}},"task":"t","queue":"pq"}""")).GetProperty("id").GetString()!;
            var lines = string.Concat(Enumerable.Range(0, Children).Select(i => $"{{\"index\":{i}}}\n"));
            using (var items = new StringContent(lines, Encoding.UTF8, "application/x-ndjson"))
            {
                (await client.PostAsync(new Uri($"/v1/batches/{id}/items", UriKind.Relative), items)).EnsureSuccessStatusCode();
            }
            await client.PostJsonAsync($"/v1/batches/{id}/cancel", "{}");
            await WaitAsync(async () => (await client.GetFromJsonAsync<JsonElement>(new Uri($"/v1/batches/{id}", UriKind.Relative)))
                .GetProperty("counts").GetProperty("cancelled").GetInt64() == Children);

            using var deleted = await client.DeleteAsync(new Uri($"/v1/batches/{id}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            // Kill once the purge has removed its first page (it removes 1,000 children per commit).
            await WaitAsync(() => Task.FromResult(ChildRows(id) < 2 * Children), delayMs: 5);
            await silo.KillAsync();
        }
        // What the kill left: the purge may have removed some pages, not (all of) the rest.
        var leftAtKill = ChildRows(id);

        await using var restarted = await SiloProcess.StartAsync(_dir.Path);
        using var again = restarted.CreateClient();
        using (var gone = await again.GetAsync(new Uri($"/v1/batches/{id}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }
        await WaitAsync(() => Task.FromResult(ChildRows(id) == 0 && Rows($"SELECT COUNT(*) FROM grains WHERE grain_type = 'bat'") == 0));

        output.WriteLine($"{leftAtKill} child rows (index + grain) were left at the kill");
        Assert.InRange(leftAtKill, 0, 2 * Children - 1);
        Assert.Equal(0, Rows("SELECT COUNT(*) FROM batch_children"));
        Assert.Equal(0, Rows("SELECT COUNT(*) FROM events"));
        Assert.Equal(0, Rows("SELECT COUNT(*) FROM timers WHERE grain_type IN ('exe', 'bat')"));
        using var child = await again.GetAsync(new Uri($"/v1/executions/{id}.{Children - 1}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, child.StatusCode);
    }

    private long ChildRows(string batchId) =>
        Rows($"SELECT COUNT(*) FROM execution_index WHERE batch_id = '{batchId}'") + Rows($"SELECT COUNT(*) FROM grains WHERE grain_type = 'exe'");

    private long Rows(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_dir.Path, "data", "levee.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, int delayMs = 100)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(120); DateTime.UtcNow < deadline;)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(delayMs);
        }
        Assert.Fail("the condition never held within 120 s");
    }

    public void Dispose() => _dir.Dispose();
}
