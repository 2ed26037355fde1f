using System.Net;
using Levee.Gateway.Tests.Infrastructure;

namespace Levee.Gateway.Tests.RateLimits;

/// <summary>
/// Limits per key on a gateway configured with a burst of 2 that does not refill during a test,
/// one stream and one long poll per key. Every test's keys are fresh, so each starts with 2 tokens.
/// </summary>
[Collection(RateLimitedCollection.Name)]
public sealed class RateLimitTests(RateLimitedFactory factory) : GatewayTest(factory)
{
    private const string AnyRead = "/v1/executions?limit=1";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Requests_OverTheBurst_Are429WithRetryAfterWhileAnotherKeyIsServed()
    {
        var other = await KeyAsync("executions");
        for (var i = 0; i < RateLimitedFactory.Burst; i++)
        {
            (await Client.GetAsync(AnyRead)).Is(HttpStatusCode.OK);
        }

        var refused = (await Client.GetAsync(AnyRead)).Problem(HttpStatusCode.TooManyRequests, "rate_limited");
        (await other.GetAsync(AnyRead)).Is(HttpStatusCode.OK);

        // The bucket's time to its next token: 1 / 0.01 per second.
        Assert.Equal(TimeSpan.FromSeconds(1 / RateLimitedFactory.RequestsPerSecond), refused.Headers.RetryAfter?.Delta);
        Assert.Contains("requests per second", refused.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_WithoutATenantKey_AreNotLimited()
    {
        var anonymous = Client.As(null);
        var unknown = Client.As("not-a-key");
        for (var i = 0; i < RateLimitedFactory.Burst + 3; i++)
        {
            (await anonymous.GetAsync("/healthz")).Is(HttpStatusCode.OK);
            (await unknown.GetAsync(AnyRead)).Problem(HttpStatusCode.Unauthorized, "unauthorized");
            (await Admin.GetAsync("/v1/admin/keys")).Is(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task Streams_SecondForOneKey_Is429WhileAnotherKeyOpensOne()
    {
        (await CreateAsync("open")).Is(HttpStatusCode.Created);
        var first = await KeyAsync("executions");
        var second = await KeyAsync("executions");
        using var timeout = new CancellationTokenSource(Patience);

        using var held = await OpenStreamAsync(first, "/v1/executions/open/events", timeout.Token);
        var refused = await OpenRefusedAsync(first, "/v1/executions/open/events", timeout.Token);
        using var other = await OpenStreamAsync(second, "/v1/executions/open/events", timeout.Token);

        refused.Problem(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Contains("limit of open event streams", refused.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventsPage_WhileTheKeysStreamIsOpen_IsNotCountedAsAStream()
    {
        (await CreateAsync("paged")).Is(HttpStatusCode.Created);
        var key = await KeyAsync("executions");
        using var timeout = new CancellationTokenSource(Patience);

        using var held = await OpenStreamAsync(key, "/v1/executions/paged/events", timeout.Token);

        (await key.GetAsync("/v1/executions/paged/events", ("Accept", "application/json"))).Is(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Claims_SecondLongPollForOneKey_Is429WhileAnotherKeyWaits()
    {
        var first = await KeyAsync("workers");
        var second = await KeyAsync("workers");

        await OneOfTwoLongPollsIsRefusedAsync(first, (key, ct) => key.SendAsync(HttpMethod.Post, "/v1/queues/idle/claim",
            """{"workerId":"w","waitMs":30000}""", [], cancellationToken: ct));

        (await second.PostAsync("/v1/queues/idle/claim", """{"workerId":"w","waitMs":100}""")).Is(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Claims_WithoutWaitWhileTheKeysLongPollWaits_AreNotLongPolls()
    {
        var key = await KeyAsync("workers");
        using var cancel = new CancellationTokenSource();
        var waiting = key.SendAsync(HttpMethod.Post, "/v1/queues/idle/claim", """{"workerId":"w","waitMs":30000}""", [], cancellationToken: cancel.Token);

        var immediate = await key.PostAsync("/v1/queues/idle/claim", """{"workerId":"w","waitMs":0}""");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        immediate.Is(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Results_SecondLongPollForOneKey_Is429()
    {
        (await CreateAsync("pending")).Is(HttpStatusCode.Created);
        var key = await KeyAsync("executions");

        await OneOfTwoLongPollsIsRefusedAsync(key, (k, ct) => k.SendAsync(HttpMethod.Get, "/v1/executions/pending/result?waitMs=30000", null, [],
            cancellationToken: ct));
    }

    /// <summary>Another key of the test's tenant and project (its own bucket and places).</summary>
    private async Task<Api> KeyAsync(string scope) => Client.As(await NewKeyAsync(Tenant, "p", scope));

    /// <summary>
    /// Starts two long polls of one key at once, in no particular order: the one refused answers
    /// at once with the 429, the other waits (30 s) until it is cancelled.
    /// </summary>
    private static async Task OneOfTwoLongPollsIsRefusedAsync(Api key, Func<Api, CancellationToken, Task<Reply>> poll)
    {
        using var cancel = new CancellationTokenSource();
        var polls = new[] { poll(key, cancel.Token), poll(key, cancel.Token) };

        var answered = await Task.WhenAny(polls);
        var refused = await answered;
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => polls.Single(p => p != answered));

        refused.Problem(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Contains("limit of waiting long polls", refused.Str("detail"), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> OpenStreamAsync(Api key, string path, CancellationToken cancellationToken)
    {
        var response = await SendForHeadersAsync(key, path, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return response;
    }

    /// <summary>Opens a stream that should be refused; a stream that opens fails the test here instead of hanging it.</summary>
    private static async Task<Reply> OpenRefusedAsync(Api key, string path, CancellationToken cancellationToken)
    {
        using var response = await SendForHeadersAsync(key, path, cancellationToken);
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        return await Reply.ReadAsync(response, cancellationToken);
    }

    private static async Task<HttpResponseMessage> SendForHeadersAsync(Api key, string path, CancellationToken cancellationToken)
    {
        using var request = key.Request(HttpMethod.Get, path, ("Accept", "text/event-stream"));
        return await key.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }
}
