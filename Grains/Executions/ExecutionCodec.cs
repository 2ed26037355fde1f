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
        var data = @event switch
        {
            OutputAppended output => JsonSerializer.SerializeToUtf8Bytes(output.Chunk, ctx.JsonElement),
            // A batch child's definition is its batch's and its item's: its `created` names them
            // instead of repeating them a million times (GET the execution for the whole of it).
            ExecutionCreated { Spec: { BatchId: { } batchId, BatchIndex: { } index } } created =>
                JsonSerializer.SerializeToUtf8Bytes(new BatchChildCreated(batchId, index, created.At), ctx.BatchChildCreated),
            _ => LogPayloads.Of(@event),
        };
        return new NewEvent(@event.LogType, data, @event.At);
    }
}
