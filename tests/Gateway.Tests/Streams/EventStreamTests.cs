using System.Net;
using System.Text.Json;
using Levee.Gateway.Tests.Infrastructure;

namespace Levee.Gateway.Tests.Streams;

/// <summary>Run against the co-hosted silo (<see cref="EventStreamTests"/>) and a standalone gateway (<see cref="StandaloneEventStreamTests"/>).</summary>
public abstract class EventStreamTestsBase(ILeveeServer server) : GatewayTest(server)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Sse_FinishedExecution_ReplaysEverythingThenEnd()
    {
        await CreateAsync("replay");
        await StatusAsync("replay", """{"status":"running"}""");
        await StatusAsync("replay", """{"status":"succeeded","output":42}""");

        var events = await ReadAllAsync("/v1/executions/replay/events");

        Assert.Equal(["created", "status", "succeeded", "end"], events.Select(e => e.Event));
        Assert.Equal(["1", "2", "3"], events.Take(3).Select(e => e.Id!));
        Assert.Equal(42, JsonDocument.Parse(events[2].Data).RootElement.GetProperty("data").GetProperty("output").GetInt32());
    }

    [Fact]
    public async Task Sse_LastEventIdAndFrom_ResumeAtTheRightSeq()
    {
        await CreateAsync("resume");
        await StatusAsync("resume", """{"status":"running"}""");
        await StatusAsync("resume", """{"status":"failed","error":{"message":"x"}}""");

        var afterOne = await ReadAllAsync("/v1/executions/resume/events", ("Last-Event-ID", "1"));
        Assert.Equal(["2", "3"], afterOne.Where(e => e.Id is not null).Select(e => e.Id!));
        var fromThree = await ReadAllAsync("/v1/executions/resume/events?from=3");
        Assert.Equal(["failed", "end"], fromThree.Select(e => e.Event));
        var pastTheEnd = await ReadAllAsync("/v1/executions/resume/events", ("Last-Event-ID", "3"));
        Assert.Equal(["end"], pastTheEnd.Select(e => e.Event));
    }

    [Fact]
    public async Task Sse_DroppedConnection_ResumesGaplessly()
    {
        await CreateAsync("live");
        using var timeout = new CancellationTokenSource(Patience);
        var seen = new List<long>();

        // First connection: read the replay and one live event, then drop it.
        using (var response = await OpenAsync("/v1/executions/live/events", timeout.Token))
        using (var reader = new SseReader(await response.Content.ReadAsStreamAsync(timeout.Token)))
        {
            seen.Add(long.Parse((await reader.NextAsync(timeout.Token))!.Id!, System.Globalization.CultureInfo.InvariantCulture));
            await Client.PostAsync("/v1/executions/live/output", """{"chunks":["a"]}""");
            seen.Add(long.Parse((await reader.NextAsync(timeout.Token))!.Id!, System.Globalization.CultureInfo.InvariantCulture));
        }

        // Written while nobody listens.
        await Client.PostAsync("/v1/executions/live/output", """{"chunks":["b","c"]}""");
        var resumed = Task.Run(() => ReadAllAsync("/v1/executions/live/events", ("Last-Event-ID", seen[^1].ToString(System.Globalization.CultureInfo.InvariantCulture))));
        await Task.Delay(200);
        await StatusAsync("live", """{"status":"succeeded"}""");
        var rest = await resumed;

        seen.AddRange(rest.Where(e => e.Id is not null).Select(e => long.Parse(e.Id!, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal([1, 2, 3, 4, 5], seen);
        Assert.Equal("end", rest[^1].Event);
    }

    [Fact]
    public async Task Sse_IdleStream_SendsKeepAliveComments()
    {
        await CreateAsync("idle");
        using var timeout = new CancellationTokenSource(Patience);
        using var response = await OpenAsync("/v1/executions/idle/events", timeout.Token);
        using var reader = new SseReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        await reader.NextAsync(timeout.Token);
        var next = reader.NextAsync(timeout.Token);
        while (reader.Comments == 0)
        {
            await Task.Delay(50, timeout.Token);
        }
        await StatusAsync("idle", """{"status":"cancelled"}""");
        Assert.Equal("cancelled", (await next)!.Event);
    }

    [Fact]
    public async Task JsonPage_WithAcceptJson_PagesByFrom()
    {
        await CreateAsync("paged");
        await Client.PostAsync("/v1/executions/paged/output", """{"chunks":[1,2,3,4]}""");
        var page = (await Client.GetAsync("/v1/executions/paged/events?from=2&limit=2", ("Accept", "application/json"))).Is(HttpStatusCode.OK);
        Assert.Equal([2L, 3L], page.Body.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("seq").GetInt64()));
        Assert.Equal(4, page.Long("nextFrom"));
        var last = (await Client.GetAsync("/v1/executions/paged/events?from=4&limit=2", ("Accept", "application/json"))).Is(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, last.Body.GetProperty("nextFrom").ValueKind);
    }

    [Theory]
    [InlineData("Last-Event-ID", "abc")]
    [InlineData("Last-Event-ID", "-1")]
    [InlineData("Last-Event-ID", "99")]
    public async Task Sse_BadLastEventId_Is400(string header, string value)
    {
        await CreateAsync("bad-resume");
        (await Client.GetAsync("/v1/executions/bad-resume/events", (header, value))).Problem(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Theory]
    [InlineData("?from=x")]
    [InlineData("?from=5")]
    [InlineData("?from=1&limit=0")]
    [InlineData("?limit=")]
    public async Task Events_BadFromOrLimit_Is400(string query)
    {
        await CreateAsync("bad-from");
        var reply = (await Client.GetAsync($"/v1/executions/bad-from/events{query}", ("Accept", "application/json")))
            .Problem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(query.Contains("limit", StringComparison.Ordinal) ? "limit" : "from", reply.Str("field"));
    }

    private async Task<HttpResponseMessage> OpenAsync(string path, CancellationToken cancellationToken, params (string, string)[] headers)
    {
        var request = Client.Request(HttpMethod.Get, path, headers);
        request.Headers.Accept.ParseAdd("text/event-stream");
        var response = await Client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return response;
    }

    private async Task<List<SseEvent>> ReadAllAsync(string path, params (string, string)[] headers)
    {
        using var timeout = new CancellationTokenSource(Patience);
        using var response = await OpenAsync(path, timeout.Token, headers);
        using var reader = new SseReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var events = new List<SseEvent>();
        while (await reader.NextAsync(timeout.Token) is { } e)
        {
            events.Add(e);
        }
        return events;
    }
}

public sealed class EventStreamTests(LeveeFactory factory) : EventStreamTestsBase(factory);

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneEventStreamTests(StandaloneGatewayFactory factory) : EventStreamTestsBase(factory);
