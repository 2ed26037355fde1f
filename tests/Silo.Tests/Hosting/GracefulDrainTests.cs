using System.Net;
using System.Text;
using System.Text.Json;
using Levee.Silo.Tests.Infrastructure;

namespace Levee.Silo.Tests.Hosting;

/// <summary>
/// SIGTERM on a real silo process: <c>/readyz</c> turns 503 while the process still serves for
/// the drain delay, waiting long polls answer at once with what they have, live event streams end
/// with a <c>retry:</c> hint (and no <c>event: end</c>), and the process exits by itself.
/// </summary>
public sealed class GracefulDrainTests : IDisposable
{
    private static readonly TimeSpan DrainDelay = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Sigterm_DrainsLongPollsAndStreamsThenExits()
    {
        await using var silo = await SiloProcess.StartAsync(_dir.Path, new Dictionary<string, string>
        {
            ["Levee:Gateway:DrainDelay"] = DrainDelay.ToString("c"),
            ["Logging:LogLevel:Levee.Gateway.Health"] = "Information",
        });
        using var http = silo.CreateClient();
        http.Timeout = TimeSpan.FromSeconds(90);
        var created = await CreateAsync(http, "drain-a");
        var id = created.GetProperty("id").GetString()!;

        using var stream = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/executions/{id}/events") { Headers = { { "Accept", "text/event-stream" } } },
            HttpCompletionOption.ResponseHeadersRead);
        var streamBody = ReadToEndAsync(stream);
        var claim = http.PostAsync("/v1/queues/drain-empty/claim", Json("""{"workerId":"w1","max":1,"waitMs":30000}"""));
        var result = http.GetAsync($"/v1/executions/{id}/result?waitMs=60000");
        await Task.Delay(500); // both long polls are waiting

        silo.Terminate();

        // Still serving during the delay, but not ready: a load balancer takes it out of rotation.
        Assert.Equal("draining", await UntilNotReadyAsync(http));
        var late = await CreateAsync(http, "drain-b");

        // Long polls answered at once, with what they have.
        var claimed = await claim.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);
        Assert.Equal(0, JsonDocument.Parse(await claimed.Content.ReadAsStringAsync()).RootElement.GetProperty("claims").GetArrayLength());
        var polled = await result.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, polled.StatusCode);
        Assert.Equal("false", polled.Headers.GetValues("Levee-Terminal").Single());
        // The stream ended with a retry hint and no end event: its client comes back with Last-Event-ID.
        var events = await streamBody.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.EndsWith("retry: 1000\n\n", events, StringComparison.Ordinal);
        Assert.DoesNotContain("event: end", events, StringComparison.Ordinal);
        Assert.Contains("event: created", events, StringComparison.Ordinal);

        Assert.Equal(0, await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(silo.StandardOutput.Concat(silo.StandardError), l => l.Contains("Draining: /readyz answers 503", StringComparison.Ordinal));

        // Nothing acknowledged during the drain is lost: the next start has both.
        await using var again = await SiloProcess.StartAsync(_dir.Path);
        using var after = again.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await after.GetAsync($"/v1/executions/{late.GetProperty("id").GetString()}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await after.GetAsync($"/v1/executions/{id}")).StatusCode);
    }

    /// <summary>Polls <c>/readyz</c> until it is not 200; its body then.</summary>
    private static async Task<string> UntilNotReadyAsync(HttpClient http)
    {
        while (true)
        {
            using var ready = await http.GetAsync("/readyz");
            if (ready.StatusCode != HttpStatusCode.OK)
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
                return await ready.Content.ReadAsStringAsync();
            }
            await Task.Delay(50);
        }
    }

    private static async Task<JsonElement> CreateAsync(HttpClient http, string queue)
    {
        using var response = await http.PostAsync("/v1/executions", Json($$"""{"task":"t","queue":"{{queue}}"}"""));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task<string> ReadToEndAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public void Dispose() => _dir.Dispose();
}
