using System.Net;
using System.Text.Json;
using Levee.Gateway.Tests.Infrastructure;

namespace Levee.Gateway.Tests.Cluster;

/// <summary><c>/v1/cluster</c> and <c>/v1/cluster/events</c>: the admin key's view of the silos and the executions.</summary>
public sealed class ClusterApiTests(LeveeFactory factory) : GatewayTest(factory)
{
    [Fact]
    public async Task Get_ShowsTheActiveSiloWithItsActivityAndTheExecutionTotals()
    {
        (await CreateAsync("counted")).Is(HttpStatusCode.Created);

        var cluster = (await Admin.GetAsync("/v1/cluster")).Is(HttpStatusCode.OK).Body;

        var silo = Assert.Single(cluster.GetProperty("silos").EnumerateArray());
        Assert.Equal("active", silo.GetProperty("status").GetString());
        Assert.StartsWith("127.0.0.1:", silo.GetProperty("address").GetString(), StringComparison.Ordinal);
        Assert.True(silo.GetProperty("startedAt").GetDateTimeOffset() <= DateTimeOffset.UtcNow);
        Assert.NotEqual(JsonValueKind.Null, silo.GetProperty("commandsPerSecond").ValueKind);
        Assert.Contains(silo.GetProperty("activations").EnumerateObject(), a => a.Value.GetInt32() > 0);
        Assert.True(cluster.GetProperty("executions").GetProperty("queued").GetInt64() >= 1);
    }

    [Fact]
    public async Task AnonymousIs401_ATenantKeyIs403()
    {
        (await Admin.As(null).GetAsync("/v1/cluster")).Problem(HttpStatusCode.Unauthorized, "unauthorized");
        (await Client.GetAsync("/v1/cluster")).Problem(HttpStatusCode.Forbidden, "forbidden");
        (await Client.GetAsync("/v1/cluster/events")).Problem(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Events_SendASnapshotAtOnce_ThenAnotherWhenTheClusterChanges()
    {
        using var request = Admin.Request(HttpMethod.Get, "/v1/cluster/events", ("Accept", "text/event-stream"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await Admin.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        var first = await NextSnapshotAsync(reader, timeout.Token);
        var queued = Queued(first);
        (await CreateAsync("streamed")).Is(HttpStatusCode.Created);

        JsonElement next;
        do
        {
            next = await NextSnapshotAsync(reader, timeout.Token);
        }
        while (Queued(next) <= queued);
        Assert.True(Queued(next) > queued);
        Assert.Single(next.GetProperty("silos").EnumerateArray());
    }

    private static long Queued(JsonElement view) =>
        view.GetProperty("executions").TryGetProperty("queued", out var n) ? n.GetInt64() : 0;

    /// <summary>The data of the next <c>event: snapshot</c>, skipping keep-alive comments.</summary>
    private static async Task<JsonElement> NextSnapshotAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var isSnapshot = false;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line == "event: snapshot")
            {
                isSnapshot = true;
            }
            else if (isSnapshot && line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone();
            }
        }
        throw new Xunit.Sdk.XunitException("the stream ended without a snapshot");
    }
}
