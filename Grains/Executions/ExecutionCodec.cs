using System.Text.Json;
using Levee.Executions;
using Levee.Grains.Serialization;
using Levee.Grains.Storage;

namespace Levee.Grains.Executions;

/// <summary>Serializes execution state for its state row and events for its log.</summary>
internal static class ExecutionCodec
{
    /// <summary>Reads a stored state row as the resource clients see (used by list queries).</summary>
    internal static ExecutionView ToView(StoredGrain stored) =>
        ReadState(stored.State.Span).ToView(stored.Version, stored.LastSeq);

    internal static ExecutionState ReadState(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, GrainsJsonContext.Default.ExecutionState)
        ?? throw new JsonException("Execution state row is empty.");

    internal static byte[] WriteState(ExecutionState state) =>
        JsonSerializer.SerializeToUtf8Bytes(state, StoredStateJson.For<ExecutionState>());

    /// <summary>
    /// The payload clients see on the stream: the event's own fields, except output chunks, which
    /// are sent as they were given.
    /// </summary>
    internal static NewEvent ToLogEvent(ExecutionEvent @event)
    {
        var ctx = GrainsJsonContext.Default;
        byte[] data = @event switch
        {
            OutputAppended output => JsonSerializer.SerializeToUtf8Bytes(output.Chunk, ctx.JsonElement),
            // A batch child's definition is its batch's and its item's: its `created` names them
            // instead of repeating them a million times (GET the execution for the whole of it).
            ExecutionCreated { Spec: { BatchId: { } batchId, BatchIndex: { } index } } created =>
                JsonSerializer.SerializeToUtf8Bytes(new BatchChildCreated(batchId, index, created.At), ctx.BatchChildCreated),
            ExecutionCreated created => JsonSerializer.SerializeToUtf8Bytes(created, ctx.ExecutionCreated),
            StatusChanged changed => JsonSerializer.SerializeToUtf8Bytes(changed, ctx.StatusChanged),
            ReportRecorded report => JsonSerializer.SerializeToUtf8Bytes(report, ctx.ReportRecorded),
            ExecutionCancelled cancelled => JsonSerializer.SerializeToUtf8Bytes(cancelled, ctx.ExecutionCancelled),
            ExecutionClaimed claimed => JsonSerializer.SerializeToUtf8Bytes(claimed, ctx.ExecutionClaimed),
            RetryScheduled retry => JsonSerializer.SerializeToUtf8Bytes(retry, ctx.RetryScheduled),
            LeaseExpired expired => JsonSerializer.SerializeToUtf8Bytes(expired, ctx.LeaseExpired),
            ApprovalRequested requested => JsonSerializer.SerializeToUtf8Bytes(requested, ctx.ApprovalRequested),
            ApprovalDecided decided => JsonSerializer.SerializeToUtf8Bytes(decided, ctx.ApprovalDecided),
            ExecutionResumed resumed => JsonSerializer.SerializeToUtf8Bytes(resumed, ctx.ExecutionResumed),
            BatchWaitRequested wait => JsonSerializer.SerializeToUtf8Bytes(wait, ctx.BatchWaitRequested),
            BatchResumed resumed => JsonSerializer.SerializeToUtf8Bytes(resumed, ctx.BatchResumed),
            _ => throw new InvalidOperationException($"Unknown execution event '{@event.GetType().Name}'."),
        };
        return new NewEvent(@event.LogType, data, @event.At);
    }
}
