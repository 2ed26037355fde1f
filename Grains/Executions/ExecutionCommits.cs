using Levee.Executions;
using Levee.Idempotency;
using Levee.Runtime;

namespace Levee.Grains.Executions;

/// <summary>Builds what one execution command commits: state, visible events, timers, index row, and its batch's record.</summary>
internal static class ExecutionCommits
{
    // key: the grain key already parsed by the caller — this runs for every command and every spawned child.
    public static GrainCommit Build(GrainId id, (string Tenant, string Project, string Id) key, ExecutionState? before, ExecutionState after,
        IReadOnlyList<ExecutionEvent> events, long version, long lastSeq, IdempotencyClaim? claim = null)
    {
        var (tenant, project, executionId) = key;
        var indexChanged = before is null || after.Status != before.Status || after.AvailableAt != before.AvailableAt;
        var finishedNow = after.Status.IsTerminal() && before?.Status.IsTerminal() != true;
        return new GrainCommit
        {
            Id = id,
            ExpectedVersion = version,
            ExpectedLastSeq = lastSeq,
            State = ExecutionCodec.WriteState(after),
            Events = events.Where(e => e.IsVisible).Select(ExecutionCodec.ToLogEvent).ToArray(),
            Timers = ExecutionTimers.Diff(before, after),
            ExecutionIndex = indexChanged
                ? new ExecutionIndexRow(tenant, project, executionId, after.Status, after.Task, after.Queue, after.ParentId, after.CreatedAt, after.AvailableAt,
                    after.BatchId)
                : null,
            // A batch child's terminal outcome is recorded once, in its own transaction; the first
            // time, the storage also writes the outbox message that tells the batch.
            ChildOutcome = finishedNow && after is { BatchId: { } batchId, BatchIndex: { } index }
                ? new BatchChildOutcome(ExecutionKey.For(tenant, project, batchId), index, after.Status.ToWire())
                : null,
            IdempotencyClaim = before is null ? claim : null,
        };
    }
}
