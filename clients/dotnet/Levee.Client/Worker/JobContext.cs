using System.Text.Json;

namespace Levee.Client.Worker;

/// <summary>What a handler knows about its job, and the calls that suspend it.</summary>
public sealed class JobContext
{
    private readonly JsonSerializerOptions _json;

    internal JobContext(Claim claim, string queue, string workerId, LeveeClient client, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        (Claim, Queue, WorkerId, Client, _json, CancellationToken) = (claim, queue, workerId, client, json, cancellationToken);
    }

    /// <summary>The claim: execution, attempt, lease.</summary>
    public Claim Claim { get; }

    /// <summary>The execution as claimed, with every approval decision and batch summary so far.</summary>
    public Execution Execution => Claim.Execution;

    /// <summary>The attempt (a redelivery after a suspension or a release continues the same one).</summary>
    public int Attempt => Claim.Attempt;

    /// <summary>The lease every write of this job presents.</summary>
    public string LeaseId => Claim.LeaseId;

    /// <summary>The queue it was claimed from.</summary>
    public string Queue { get; }

    /// <summary>This worker's id.</summary>
    public string WorkerId { get; }

    /// <summary>The client, for calls of your own.</summary>
    public LeveeClient Client { get; }

    /// <summary>Fires when the job must stop: cancelled, its lease lost, the execution's deadline reached (<see cref="Execution.DeadlineAt"/>), or the host shutting down.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The approval of <paramref name="toolCallId"/>, if it was asked for.</summary>
    public Approval? FindApproval(string toolCallId) => Execution.Approvals.FirstOrDefault(a => a.ToolCallId == toolCallId);

    /// <summary>
    /// Returns the decision on <paramref name="toolCallId"/> when it is made (true: approved;
    /// false: denied or expired). Otherwise asks for it, which suspends the execution and
    /// releases the lease, and throws <see cref="JobSuspendedException"/>; the job is redelivered
    /// with the decision, the handler runs again, and this call then returns it.
    /// </summary>
    public async Task<bool> RequireApprovalAsync(string toolCallId, string tool, object? input = null, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        if (FindApproval(toolCallId) is { Status: not ApprovalStatus.Pending } decided)
        {
            return decided.Status == ApprovalStatus.Approved;
        }
        var arguments = input is null ? (JsonElement?)null : JsonSerializer.SerializeToElement(input, input.GetType(), _json);
        await Client.RequestApprovalAsync(Execution.Id, LeaseId, toolCallId, tool, arguments, timeout, cancellationToken).ConfigureAwait(false);
        throw new JobSuspendedException($"Execution '{Execution.Id}' waits for approval '{toolCallId}'.");
    }

    /// <summary>
    /// Returns the batch once it finished (from <see cref="Execution.BatchSummary"/>). Otherwise
    /// suspends the execution until it does and throws <see cref="JobSuspendedException"/>.
    /// </summary>
    public async Task<Batch> WaitForBatchAsync(string batchId, CancellationToken cancellationToken = default)
    {
        if (Execution.BatchSummary is { } summary && summary.Id == batchId)
        {
            return summary;
        }
        await Client.WaitForBatchAsync(Execution.Id, LeaseId, batchId, cancellationToken).ConfigureAwait(false);
        throw new JobSuspendedException($"Execution '{Execution.Id}' waits for batch '{batchId}'.");
    }

    /// <summary>Appends output chunks (tokens, progress) to the execution's stream, under this job's lease.</summary>
    public Task<OutputRange> AppendOutputAsync(IReadOnlyList<object> chunks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        var elements = chunks.Select(c => JsonSerializer.SerializeToElement(c, c.GetType(), _json)).ToArray();
        return Client.AppendOutputAsync(Execution.Id, elements, LeaseId, cancellationToken);
    }

    /// <summary>Serializes <paramref name="output"/> with the worker's JSON options.</summary>
    public JsonElement ToJson<T>(T output) => JsonSerializer.SerializeToElement(output, _json);
}
