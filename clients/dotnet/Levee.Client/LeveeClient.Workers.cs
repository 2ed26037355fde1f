using System.Text.Json;
using Levee.Client.Http;
using Levee.Client.Json;

namespace Levee.Client;

public sealed partial class LeveeClient
{
    /// <summary>
    /// Claims up to <paramref name="max"/> executions of <paramref name="queue"/>, waiting up to
    /// <paramref name="wait"/> (at most 30 s) for the first. Not retried by the client: a claim
    /// whose reply was lost would hand its executions to nobody until their leases lapse, so the
    /// caller (the worker host) decides when to claim again.
    /// </summary>
    public async Task<IReadOnlyList<Claim>> ClaimAsync(string queue, string workerId, int max = 1, TimeSpan wait = default,
        CancellationToken cancellationToken = default)
    {
        var waitMs = (int)Math.Clamp(wait.TotalMilliseconds, 0, 30_000);
        var request = Post($"/v1/queues/{Escape(queue)}/claim", new ClaimBody(workerId, max, waitMs), Json.ClaimBody).Waits(TimeSpan.FromMilliseconds(waitMs));
        return (await SendAsync(request, Json.ClaimsEnvelope, cancellationToken).ConfigureAwait(false)).Claims;
    }

    /// <summary>Extends the lease; <see cref="HeartbeatResult.CancelRequested"/> says the execution was cancelled (stop).</summary>
    public Task<HeartbeatResult> HeartbeatAsync(string id, string leaseId, CancellationToken cancellationToken = default) =>
        SendAsync(Post($"/v1/executions/{Escape(id)}/heartbeat", new LeaseBody(leaseId), Json.LeaseBody).Retryable(), Json.HeartbeatResult, cancellationToken);

    /// <summary>Completes the attempt (the same lease again returns the same result, so it is retried).</summary>
    public Task<Execution> CompleteAsync(string id, string leaseId, JsonElement? output = null, decimal? cost = null, CancellationToken cancellationToken = default) =>
        SendAsync(Post($"/v1/executions/{Escape(id)}/complete", new CompleteBody(leaseId, output, cost), Json.CompleteBody).Retryable(),
            Json.Execution, cancellationToken);

    /// <summary>
    /// Fails the attempt: with <paramref name="retryable"/> and attempts left it is queued again
    /// after backoff (or <paramref name="retryAfter"/>), else it fails for good.
    /// </summary>
    public Task<Execution> FailAsync(string id, string leaseId, ExecutionError error, bool retryable = true, TimeSpan? retryAfter = null, decimal? cost = null,
        CancellationToken cancellationToken = default)
    {
        var body = new FailBody(leaseId, error with { Retryable = null }, retryable, retryAfter is { } after ? (long)after.TotalMilliseconds : null, cost);
        return SendAsync(Post($"/v1/executions/{Escape(id)}/fail", body, Json.FailBody).Retryable(), Json.Execution, cancellationToken);
    }

    /// <summary>Gives the claim back unfinished: queued again at once, and the next claim continues the same attempt.</summary>
    public Task<Execution> ReleaseAsync(string id, string leaseId, CancellationToken cancellationToken = default) =>
        SendAsync(Post($"/v1/executions/{Escape(id)}/release", new LeaseBody(leaseId), Json.LeaseBody).Retryable(), Json.Execution, cancellationToken);

    /// <summary>Suspends the execution until the batch is terminal; the next claim carries <see cref="Execution.BatchSummary"/>.</summary>
    public Task<Execution> WaitForBatchAsync(string id, string leaseId, string batchId, CancellationToken cancellationToken = default) =>
        SendAsync(Post($"/v1/executions/{Escape(id)}/wait", new WaitBody(leaseId, batchId), Json.WaitBody).Retryable(), Json.Execution, cancellationToken);

    /// <summary>Pauses a queue: claims hand out nothing from it until it is resumed.</summary>
    public Task PauseQueueAsync(string queue, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(Post($"/v1/queues/{Escape(queue)}/pause", new ReasonBody(reason), Json.ReasonBody).Retryable(), cancellationToken);

    /// <summary>Resumes a paused queue.</summary>
    public Task ResumeQueueAsync(string queue, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(Post($"/v1/queues/{Escape(queue)}/resume", new ReasonBody(reason), Json.ReasonBody).Retryable(), cancellationToken);
}
