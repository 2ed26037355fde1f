using System.Text.Json;
using Levee.Grains.Serialization;
using Levee.Grains.Storage;

namespace Levee.Grains.Batches;

/// <summary>Serializes batch state and events.</summary>
internal static class BatchCodec
{
    public static BatchState ReadState(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, GrainsJsonContext.Default.BatchState) ?? throw new JsonException("Batch state row is empty.");

    public static byte[] WriteState(BatchState state) => JsonSerializer.SerializeToUtf8Bytes(state, StoredStateJson.For<BatchState>());

    public static NewEvent ToLogEvent(BatchEvent @event)
    {
        var ctx = GrainsJsonContext.Default;
        byte[] data = @event switch
        {
            BatchCreated e => JsonSerializer.SerializeToUtf8Bytes(e, ctx.BatchCreated),
            BatchItemsAccepted e => JsonSerializer.SerializeToUtf8Bytes(e, ctx.BatchItemsAccepted),
            BatchSealed e => JsonSerializer.SerializeToUtf8Bytes(e, ctx.BatchSealed),
            BatchChildFinished e => JsonSerializer.SerializeToUtf8Bytes(e, ctx.BatchChildFinished),
            BatchFinished e => JsonSerializer.SerializeToUtf8Bytes(e, ctx.BatchFinished),
            BatchAborted e => JsonSerializer.SerializeToUtf8Bytes(e, ctx.BatchAborted),
            BatchParentAttached e => JsonSerializer.SerializeToUtf8Bytes(e, ctx.BatchParentAttached),
            _ => throw new InvalidOperationException($"Unknown batch event '{@event.GetType().Name}'."),
        };
        return new NewEvent(@event.LogType, data, @event.At);
    }
}
