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

    public static NewEvent ToLogEvent(BatchEvent @event) => new(@event.LogType, LogPayloads.Of(@event), @event.At);
}
