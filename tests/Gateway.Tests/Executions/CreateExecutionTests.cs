using System.Net;
using Levee.Gateway.Tests.Infrastructure;

namespace Levee.Gateway.Tests.Executions;

/// <summary>Run against the co-hosted silo (<see cref="CreateExecutionTests"/>) and a standalone gateway (<see cref="StandaloneCreateExecutionTests"/>).</summary>
public abstract class CreateExecutionTestsBase(ILeveeServer server) : GatewayTest(server)
{
    [Theory]
    [InlineData("""{"id":"sur-input","task":"t","input":"\ud800"}""", "sur-input", "input")]
    [InlineData("""{"id":"sur-meta","task":"t","metadata":{"a":["x\udc00"]}}""", "sur-meta", "metadata")]
    [InlineData("""{"id":"sur-key","task":"t","input":{"\ud800":1}}""", "sur-key", "input")]
    public async Task Create_ALoneSurrogateInAFreeFormField_Is400NamingIt_AndNothingIsCreated(string body, string id, string field)
    {
        var reply = (await Client.PostAsync("/v1/executions", body)).Problem(HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal(field, reply.Str("field"));
        (await Client.GetAsync($"/v1/executions/{id}")).Problem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Create_InvalidUtf8InsideAValue_Is400NamingIt_AndNothingIsCreated()
    {
        // {"id":"bad-utf8","task":"t","input":"a<0xFF>b"}: invalid UTF-8 inside the input string.
        var body = System.Text.Encoding.UTF8.GetBytes("""{"id":"bad-utf8","task":"t","input":"a""").Concat(new byte[] { 0xFF })
            .Concat(System.Text.Encoding.UTF8.GetBytes("""b"}""")).ToArray();
        using var request = Client.Request(HttpMethod.Post, "/v1/executions");
        request.Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } };

        using var response = await Client.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(("validation_failed", "input"), (problem.GetProperty("code").GetString(), problem.GetProperty("field").GetString()));
        (await Client.GetAsync("/v1/executions/bad-utf8")).Problem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Create_BodyThatStopsArriving_Is408RequestTimeout_AndNothingIsCreated()
    {
        var address = Client.Http.BaseAddress!;
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        var partial = """{"id":"cut-off","task":"t","inp""";
        var head = $"POST /v1/executions HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: Bearer {Client.Key}\r\n"
            + $"Content-Type: application/json\r\nContent-Length: {partial.Length + 40}\r\n\r\n";
        // The body stops 40 bytes short and the connection stays open: Kestrel's minimum data rate ends it.
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head + partial));

        using var reader = new StreamReader(stream);
        var response = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.StartsWith("HTTP/1.1 408", response, StringComparison.Ordinal);
        Assert.Contains("application/problem+json", response, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"request_timeout\"", response, StringComparison.Ordinal);
        (await Client.GetAsync("/v1/executions/cut-off")).Problem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Create_ASurrogatePair_IsText_AndKeptAsSent()
    {
        var created = (await Client.PostAsync("/v1/executions", """{"id":"sur-pair","task":"t","input":"\ud83d\ude00"}""")).Is(HttpStatusCode.Created);

        Assert.Equal("\U0001F600", created.Body.GetProperty("input").GetString());
    }

    [Theory]
    [InlineData("""{"id":"dup-top","task":"a","task":"b"}""", "dup-top")]
    [InlineData("""{"id":"dup-input","task":"t","input":{"n":1,"n":2}}""", "dup-input")]
    [InlineData("""{"id":"dup-meta","task":"t","metadata":{"k":{"x":1,"x":1}}}""", "dup-meta")]
    [InlineData("""{"id":"nul-task","task":"a\u0000b"}""", "nul-task")]
    [InlineData("""{"id":"nul-queue","task":"t","queue":"q\u0000"}""", "nul-queue")]
    public async Task Create_DuplicateJsonKeysOrANulCharacter_Is400_AndNothingIsCreated(string body, string id)
    {
        (await Client.PostAsync("/v1/executions", body)).Problem(HttpStatusCode.BadRequest, "validation_failed");

        (await Client.GetAsync($"/v1/executions/{id}")).Problem(HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData("""{"id":"self-parent","task":"t","parentId":"self-parent"}""", "self-parent", "parentId")]
    [InlineData("""{"id":"orphan","task":"t","parentId":"no-such-parent"}""", "orphan", "parentId")]
    [InlineData("""{"id":"bat_01J0000000000000000000000A.0","task":"t"}""", "bat_01J0000000000000000000000A.0", "id")]
    [InlineData("""{"id":"bat_mine","task":"t"}""", "bat_mine", "id")]
    public async Task Create_ParentThatIsItselfOrUnknown_OrAnIdReservedForBatches_Is400_AndNothingIsCreated(string body, string id, string field)
    {
        var reply = (await Client.PostAsync("/v1/executions", body)).Problem(HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal(field, reply.Str("field"));
        (await Client.GetAsync($"/v1/executions/{id}")).Problem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Create_ParentOfTheSameProject_IsRecorded_AndAReplayIsStillAReplay()
    {
        (await CreateAsync("real-parent")).Is(HttpStatusCode.Created);
        const string child = """{"id":"real-child","task":"t","parentId":"real-parent"}""";

        Assert.Equal("real-parent", (await Client.PostAsync("/v1/executions", child)).Is(HttpStatusCode.Created).Str("parentId"));
        (await Client.PostAsync("/v1/executions", child)).Is(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Create_ParentOfAnotherProject_IsUnknown()
    {
        (await CreateAsync("foreign-parent")).Is(HttpStatusCode.Created);
        var other = Client.As(await NewKeyAsync(Tenant, "other-project", "executions"));

        (await other.PostAsync("/v1/executions", """{"id":"cross-child","task":"t","parentId":"foreign-parent"}""")).Problem(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task Create_Valid_Is201WithLocationAndQueuedResource()
    {
        var reply = (await Client.PostAsync("/v1/executions", """{"task":"send-email","queue":"mail","input":{"to":"a@b.c"},"tags":["x"],"metadata":{"k":1}}"""))
            .Is(HttpStatusCode.Created);
        var id = reply.Str("id")!;
        Assert.StartsWith("exe_", id, StringComparison.Ordinal);
        Assert.Equal($"/v1/executions/{id}", reply.Headers.Location?.ToString());
        Assert.Equal("queued", reply.Str("status"));
        Assert.Equal("mail", reply.Str("queue"));
        Assert.Equal(3, reply.Body.GetProperty("maxAttempts").GetInt32());
        Assert.Equal(1, reply.Long("lastEventSeq"));
        (await Client.GetAsync($"/v1/executions/{id}")).Is(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Create_SameIdSameBody_Is200Replay()
    {
        (await CreateAsync("same")).Is(HttpStatusCode.Created);
        var again = (await CreateAsync("same")).Is(HttpStatusCode.OK);
        Assert.Equal(1, again.Long("version"));
    }

    [Fact]
    public async Task Create_SameIdDifferentBody_Is409AlreadyExists()
    {
        (await CreateAsync("clash")).Is(HttpStatusCode.Created);
        (await CreateAsync("clash", task: "other")).Problem(HttpStatusCode.Conflict, "already_exists");
    }

    [Theory]
    [InlineData("""{"queue":"q"}""", "task")]
    [InlineData("""{"task":""}""", "task")]
    [InlineData("""{"id":"bad id","task":"t"}""", "id")]
    [InlineData("""{"id":"a/b","task":"t"}""", "id")]
    [InlineData("""{"task":"t","queue":"no spaces"}""", "queue")]
    [InlineData("""{"task":"t","delayMs":-1}""", "delayMs")]
    [InlineData("""{"task":"t","retry":{"maxAttempts":0}}""", "retry.maxAttempts")]
    [InlineData("""{"task":"t","retry":{"backoffFactor":50}}""", "retry.backoffFactor")]
    [InlineData("""{"task":"t","timeouts":{"executionMs":0}}""", "timeouts")]
    [InlineData("""{"task":"t","metadata":[1]}""", "metadata")]
    [InlineData("""{"task":5}""", "task")]
    [InlineData("""{"task":"t","delayMs":"10"}""", "delayMs")]
    [InlineData("""{"task":"t","taks":"typo"}""", null)]
    public async Task Create_InvalidField_Is400ValidationFailed(string body, string? field)
    {
        var reply = (await Client.PostAsync("/v1/executions", body)).Problem(HttpStatusCode.BadRequest, "validation_failed");
        if (field is not null)
        {
            Assert.Equal(field, reply.Body.GetProperty("field").GetString());
        }
        Assert.False(string.IsNullOrEmpty(reply.Str("detail")));
    }

    [Theory]
    [InlineData("{\"task\":")]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("")]
    public async Task Create_MalformedJson_Is400(string body) =>
        (await Client.PostAsync("/v1/executions", body)).Problem(HttpStatusCode.BadRequest, "validation_failed");

    [Fact]
    public async Task Create_WrongContentType_Is415()
    {
        var reply = await Client.SendAsync(HttpMethod.Post, "/v1/executions", """{"task":"t"}""", [], "text/plain");
        reply.Problem(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task Create_BodyOverOneMebibyte_Is413AndCreatesNothing()
    {
        var big = new string('x', 1024 * 1024);
        (await Client.PostAsync("/v1/executions", $$"""{"id":"too-big","task":"t","input":"{{big}}"}""")).Problem(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        (await Client.GetAsync("/v1/executions/too-big")).Problem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Create_IdempotencyKeyReplay_Returns200OriginalWithReplayedHeader()
    {
        var first = (await Client.PostAsync("/v1/executions", """{"task":"t"}""", ("Idempotency-Key", "k-1"))).Is(HttpStatusCode.Created);
        var second = (await Client.PostAsync("/v1/executions", """{"task":"t"}""", ("Idempotency-Key", "k-1"))).Is(HttpStatusCode.OK);
        Assert.Equal(first.Str("id"), second.Str("id"));
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal("k-1", second.Str("idempotencyKey"));
    }

    [Fact]
    public async Task Create_IdempotencyKeyWithDifferentBody_Is422AndCreatesNothing()
    {
        (await Client.PostAsync("/v1/executions", """{"task":"t"}""", ("Idempotency-Key", "k-2"))).Is(HttpStatusCode.Created);
        (await Client.PostAsync("/v1/executions", """{"task":"other","id":"k2-other"}""", ("Idempotency-Key", "k-2")))
            .Problem(HttpStatusCode.UnprocessableEntity, "idempotency_key_mismatch");
        (await Client.GetAsync("/v1/executions/k2-other")).Problem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Create_InvalidIdempotencyKey_Is400() =>
        (await Client.PostAsync("/v1/executions", """{"task":"t"}""", ("Idempotency-Key", new string('k', 300))))
            .Problem(HttpStatusCode.BadRequest, "validation_failed");

    [Fact]
    public async Task Create_ConcurrentRequestsWithOneIdempotencyKey_CreateExactlyOneExecution()
    {
        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Client.PostAsync("/v1/executions", """{"task":"race"}""", ("Idempotency-Key", "k-race"))));
        Assert.All(replies, r => Assert.True(r.Status is HttpStatusCode.Created or HttpStatusCode.OK, r.Text));
        Assert.Single(replies, r => r.Status == HttpStatusCode.Created);
        Assert.Single(replies.Select(r => r.Str("id")).Distinct());
        var list = (await Client.GetAsync("/v1/executions?task=race")).Is(HttpStatusCode.OK);
        Assert.Equal(1, list.Body.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Get_UnknownOrInvalidId_Is404()
    {
        (await Client.GetAsync("/v1/executions/nope")).Problem(HttpStatusCode.NotFound, "not_found");
        (await Client.GetAsync("/v1/executions/bad%20id")).Problem(HttpStatusCode.NotFound, "not_found");
    }
}

public sealed class CreateExecutionTests(LeveeFactory factory) : CreateExecutionTestsBase(factory);

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneCreateExecutionTests(StandaloneGatewayFactory factory) : CreateExecutionTestsBase(factory);
