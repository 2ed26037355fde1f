using System.Globalization;
using System.Text;
using System.Text.Json;
using Levee.Client.Http;
using Levee.Client.Json;

namespace Levee.Client;

public sealed partial class LeveeClient
{
    /// <summary>
    /// Creates an execution (201), or returns it when the same request was made before (200: the
    /// same id and definition, or the same <paramref name="idempotencyKey"/>). A key is generated
    /// when none is given, and every retry of this call re-sends it, so the call creates at most one.
    /// </summary>
    /// <param name="request">The definition.</param>
    /// <param name="idempotencyKey">Pass your own to make a create safe across processes (e.g. an order id).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<Execution> CreateExecutionAsync(CreateExecutionRequest request, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        SendAsync(WithIdempotencyKey(Post("/v1/executions", request, Json.CreateExecutionRequest), idempotencyKey), Json.Execution, cancellationToken);

    /// <summary>The execution (404 <c>not_found</c> when it does not exist).</summary>
    public Task<Execution> GetExecutionAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Get, $"/v1/executions/{Escape(id)}").Retryable(), Json.Execution, cancellationToken);

    /// <summary>One page of executions, newest first.</summary>
    public Task<Page<Execution>> ListExecutionsAsync(ExecutionQuery? query = null, CancellationToken cancellationToken = default)
    {
        var q = query ?? new ExecutionQuery();
        var path = Query("/v1/executions", ("status", q.Status is { } s ? Wire(s) : null), ("task", q.Task), ("queue", q.Queue), ("parentId", q.ParentId),
            ("batchId", q.BatchId), ("limit", q.Limit?.ToString(CultureInfo.InvariantCulture)), ("cursor", q.Cursor));
        return SendAsync(Request(HttpMethod.Get, path).Retryable(), Json.PageExecution, cancellationToken);
    }

    /// <summary>
    /// The execution once terminal, or as it is when <paramref name="wait"/> passes (at most 60 s;
    /// check <see cref="Execution.Status"/>). A long poll: the server answers as soon as it is terminal.
    /// </summary>
    public Task<Execution> GetResultAsync(string id, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        var waitMs = (long)Math.Clamp(wait.TotalMilliseconds, 0, 60_000);
        return SendAsync(Request(HttpMethod.Get, $"/v1/executions/{Escape(id)}/result?waitMs={waitMs}").Retryable().Waits(TimeSpan.FromMilliseconds(waitMs)),
            Json.Execution, cancellationToken);
    }

    /// <summary>Long-polls <see cref="GetResultAsync"/> until the execution is terminal or <paramref name="cancellationToken"/> fires.</summary>
    public async Task<Execution> WaitForResultAsync(string id, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var execution = await GetResultAsync(id, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            if (execution.Status.IsTerminal())
            {
                return execution;
            }
        }
    }

    /// <summary>Strict status write: <c>running</c> or a terminal status (idempotent: the same status again is 200 unchanged).</summary>
    public Task<Execution> WriteStatusAsync(string id, StatusWrite write, CancellationToken cancellationToken = default) =>
        SendAsync(Post($"/v1/executions/{Escape(id)}/status", write, Json.StatusWrite).Retryable(), Json.Execution, cancellationToken);

    /// <summary>
    /// Fire-and-forget reports (at most 1000). Retried: the API merges at least once. Give each
    /// report a <see cref="EventReport.Seq"/> so that a retried request cannot append a custom event twice.
    /// </summary>
    public Task<EventsAccepted> ReportAsync(IReadOnlyList<EventReport> events, CancellationToken cancellationToken = default) =>
        SendAsync(Post("/v1/events", new EventsBody(events), Json.EventsBody).Retryable(), Json.EventsAccepted, cancellationToken);

    /// <summary>Appends output chunks (one <c>output</c> event each). Not retried: a repeat would append them again.</summary>
    public Task<OutputRange> AppendOutputAsync(string id, IReadOnlyList<JsonElement> chunks, string? leaseId = null, CancellationToken cancellationToken = default) =>
        SendAsync(Post($"/v1/executions/{Escape(id)}/output", new OutputBody(chunks, leaseId), Json.OutputBody), Json.OutputRange, cancellationToken);

    /// <summary>Cancels the execution (idempotent on a cancelled one; 409 <c>terminal_state</c> on another terminal status).</summary>
    public Task<Execution> CancelExecutionAsync(string id, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(Post($"/v1/executions/{Escape(id)}/cancel", new ReasonBody(reason), Json.ReasonBody).Retryable(), Json.Execution, cancellationToken);

    /// <summary>Deletes a terminal execution with its log (409 <c>not_terminal</c> before that). False when there was no such execution (or it was deleted before).</summary>
    public Task<bool> DeleteExecutionAsync(string id, CancellationToken cancellationToken = default) =>
        DeleteAsync($"/v1/executions/{Escape(id)}", cancellationToken);

    /// <summary>A JSON page of the execution's events from <paramref name="from"/> (1-based).</summary>
    public Task<EventPage> GetEventsPageAsync(string id, long from = 1, int limit = 100, CancellationToken cancellationToken = default)
    {
        var request = Request(HttpMethod.Get, $"/v1/executions/{Escape(id)}/events?from={from}&limit={limit}").Retryable();
        request.Headers.Accept.ParseAdd("application/json");
        return SendAsync(request, Json.EventPage, cancellationToken);
    }

    /// <summary>
    /// The execution's events over SSE, replayed from after <paramref name="afterSeq"/> then live,
    /// until the terminal event. A dropped connection is resumed with <c>Last-Event-ID</c> (the
    /// last event yielded), so the sequence has no gap and no duplicate.
    /// </summary>
    public IAsyncEnumerable<ExecutionEvent> StreamEventsAsync(string id, long afterSeq = 0, CancellationToken cancellationToken = default) =>
        new SseEventStream(this, $"/v1/executions/{Escape(id)}/events").ReadAsync(afterSeq, cancellationToken);

    /// <summary>A batch's events over SSE, resumed like <see cref="StreamEventsAsync"/>, until the batch's end.</summary>
    public IAsyncEnumerable<ExecutionEvent> StreamBatchEventsAsync(string batchId, long afterSeq = 0, CancellationToken cancellationToken = default) =>
        new SseEventStream(this, $"/v1/batches/{Escape(batchId)}/events").ReadAsync(afterSeq, cancellationToken);

    private static string Wire(ExecutionStatus status) => JsonSerializer.Serialize(status, Json.ExecutionStatus).Trim('"');

    private static string Query(string path, params (string Name, string? Value)[] parameters)
    {
        var builder = new StringBuilder(path);
        var separator = '?';
        foreach (var (name, value) in parameters)
        {
            if (value is not null)
            {
                builder.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value));
                separator = '&';
            }
        }
        return builder.ToString();
    }
}
