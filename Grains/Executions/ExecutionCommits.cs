using System.Globalization;
using Levee.Executions;
using Levee.Grains.Batches;
using Levee.Grains.Durable;
using Levee.Grains.Quotas;
using Levee.Grains.Storage;

namespace Levee.Grains.Executions;

/// <summary>
/// Builds what one execution command commits: state, visible events, timers, index row, and the
/// messages the product's rules send with it (a finished batch child tells its batch; a wait
/// registers the execution with the batch it waits for).
/// </summary>
internal static class ExecutionCommits
{
    // key: the grain key already parsed by the caller — this runs for every command and every spawned child.
    // after: null when the execution was deleted. retention: how long a terminal one is kept (null: for ever).
    // quota: the tenant's storage quota, checked by what admits new data (a client's create, output).
    public static GrainCommit Build(GrainId id, ResourceKey key, ExecutionState? before, ExecutionState? after,
        IReadOnlyList<ExecutionEvent> events, long version, long lastSeq, TimeSpan? retention = null, TenantQuota? quota = null)
    {
        var (tenant, project, executionId) = key;
        if (after is null)
        {
            return new GrainCommit
            {
                Id = id, Tenant = tenant, ExpectedVersion = version, ExpectedLastSeq = lastSeq, State = ReadOnlyMemory<byte>.Empty, Events = [],
                DeleteState = true, RemoveIndex = new ExecutionIndexKey(tenant, project, executionId),
            };
        }
        var indexChanged = before is null || after.Status != before.Status || after.AvailableAt != before.AvailableAt;
        // A batch's children were admitted with their batch (its runCount), so they are never refused.
        var admits = before is null && after.BatchId is null || events.Any(e => e is OutputAppended);
        return new GrainCommit
        {
            Id = id,
            Tenant = tenant,
            Quota = admits ? quota?.Check() : null,
            ExpectedVersion = version,
            ExpectedLastSeq = lastSeq,
            State = ExecutionCodec.WriteState(after),
            Events = events.Where(e => e.IsVisible).Select(ExecutionCodec.ToLogEvent).ToArray(),
            Timers = ExecutionTimers.Diff(before, after, retention),
            ExecutionIndex = indexChanged
                ? new ExecutionIndexRow(tenant, project, executionId, after.Status, after.Task, after.Queue, after.ParentId, after.CreatedAt, after.AvailableAt,
                    after.BatchId, after.ConcurrencyCapped)
                : null,
            Outbox = Messages(key, before, after, events),
        };
    }

    private static OutboxMessage[] Messages(ResourceKey key, ExecutionState? before, ExecutionState after,
        IReadOnlyList<ExecutionEvent> events)
    {
        List<OutboxMessage>? messages = null;
        // A child becomes terminal exactly once (its commits are compare-and-set), so its batch is
        // told exactly once per child; the outbox may deliver it again, which the batch absorbs.
        if (after.Status.IsTerminal() && before?.Status.IsTerminal() != true && after is { BatchId: { } batchId, BatchIndex: { } index })
        {
            (messages ??= []).Add(new OutboxMessage(BatchGrain.IdOf(key.With(batchId)), OutboxKinds.ChildFinished,
                ChildFinishedPayload.Format(index, after.Status, after.Cost)));
        }
        foreach (var e in events)
        {
            if (e is BatchWaitRequested wait)
            {
                (messages ??= []).Add(new OutboxMessage(BatchGrain.IdOf(key.With(wait.BatchId)), OutboxKinds.AttachWaiter, key.Id));
            }
        }
        return messages is null ? [] : [.. messages];
    }
}

/// <summary>
/// The payload of <see cref="OutboxKinds.ChildFinished"/>: <c>{index}:{status}</c>, then
/// <c>:{cost}</c> when the child reported any (messages written before cost existed have none).
/// </summary>
internal static class ChildFinishedPayload
{
    public static string Format(int index, ExecutionStatus status, decimal? cost = null)
    {
        var head = $"{index.ToString(CultureInfo.InvariantCulture)}:{status.ToWire()}";
        return cost is { } spent ? $"{head}:{spent.ToString(CultureInfo.InvariantCulture)}" : head;
    }

    public static (int Index, ExecutionStatus Status, decimal? Cost) Parse(string payload)
    {
        var parts = payload.Split(':');
        if (parts.Length is 2 or 3 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && ExecutionStatusNames.TryParse(parts[1], out var status) && status.IsTerminal())
        {
            if (parts.Length == 2)
            {
                return (index, status, null);
            }
            if (decimal.TryParse(parts[2], NumberStyles.Number, CultureInfo.InvariantCulture, out var cost))
            {
                return (index, status, cost);
            }
        }
        throw new FormatException($"'{payload}' is not a child_finished payload — a bug.");
    }
}
