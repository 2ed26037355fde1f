using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Levee.Executions;
using Levee.Silo.Tests.Infrastructure;

namespace Levee.Silo.Tests.Crash;

/// <summary>Nothing acknowledged is lost when the silo is killed with SIGKILL mid-load.</summary>
public sealed class SigkillTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Sigkill_DuringWrites_EveryAcknowledgedWriteSurvivesRestart()
    {
        // id -> the last status the silo acknowledged (2xx) for it
        var acknowledged = new ConcurrentDictionary<string, ExecutionStatus>();
        await using (var silo = await SiloProcess.StartAsync(_dir.Path))
        {
            using var client = silo.CreateClient();
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 16).Select(w => Task.Run(() => WriteUntilKilledAsync(client, w, acknowledged, stop.Token))).ToArray();

            // Let acknowledged writes pile up, then pull the plug while requests are in flight.
            while (acknowledged.Count < 1500)
            {
                await Task.Delay(20);
            }
            await silo.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        await using var restarted = await SiloProcess.StartAsync(_dir.Path);
        using var reader = restarted.CreateClient();
        var lost = new List<string>();
        foreach (var (id, status) in acknowledged)
        {
            var response = await reader.GetAsync(new Uri($"/v1/executions/{id}", UriKind.Relative));
            if (response.StatusCode != HttpStatusCode.OK)
            {
                lost.Add($"{id}: acknowledged {status.ToWire()}, now HTTP {(int)response.StatusCode}");
                continue;
            }
            var view = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString();
            Assert.True(ExecutionStatusNames.TryParse(view, out var actual));
            // A later write may have committed without its reply arriving; it can only move forward.
            if (actual.Rank() < status.Rank() || (status.IsTerminal() && actual != status))
            {
                lost.Add($"{id}: acknowledged {status.ToWire()}, now {view}");
            }
        }
        Assert.True(acknowledged.Count >= 1500);
        Assert.Empty(lost);
    }

    private static async Task WriteUntilKilledAsync(HttpClient client, int worker, ConcurrentDictionary<string, ExecutionStatus> acknowledged, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var id = $"crash-{worker}-{i}";
            try
            {
                if (!await PostAsync(client, "/v1/executions", $$"""{"id":"{{id}}","task":"crash"}""", stop))
                {
                    return;
                }
                acknowledged[id] = ExecutionStatus.Queued;
                if (!await PostAsync(client, $"/v1/executions/{id}/status", """{"status":"running"}""", stop))
                {
                    return;
                }
                acknowledged[id] = ExecutionStatus.Running;
                if (i % 2 == 0 && await PostAsync(client, $"/v1/executions/{id}/status", """{"status":"succeeded","output":{"n":1}}""", stop))
                {
                    acknowledged[id] = ExecutionStatus.Succeeded;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or OperationCanceledException)
            {
                return; // the silo is gone: the in-flight write was never acknowledged
            }
        }
    }

    private static async Task<bool> PostAsync(HttpClient client, string path, string json, CancellationToken stop)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content, stop);
        return response.IsSuccessStatusCode;
    }

    public void Dispose() => _dir.Dispose();
}
