using System.Text.Json;
using Levee.Grains.Batches;
using Levee.Grains.Executions;
using Levee.Grains.Serialization;
using Xunit;

namespace Levee.Grains.Tests.Serialization;

/// <summary>
/// Every state the scenarios and properties reach goes through its stored form: the compact row
/// must read back as exactly what the full, nothing-omitted JSON reads back as (both compared as
/// full JSON; reading is the common step, so a JSON <c>null</c> output reads as absent in both).
/// The state itself is returned, so record equality in the tests keeps comparing folded instances.
/// </summary>
internal static class StoredRoundTrip
{
    public static ExecutionState? Stored(ExecutionState? state)
    {
        if (state is null)
        {
            return null;
        }
        var type = GrainsJsonContext.Default.ExecutionState;
        var compact = ExecutionCodec.ReadState(ExecutionCodec.WriteState(state));
        var full = ExecutionCodec.ReadState(JsonSerializer.SerializeToUtf8Bytes(state, type));
        Assert.Equal(JsonSerializer.Serialize(full, type), JsonSerializer.Serialize(compact, type));
        return state;
    }

    public static BatchState? Stored(BatchState? state)
    {
        if (state is null)
        {
            return null;
        }
        var type = GrainsJsonContext.Default.BatchState;
        var compact = BatchCodec.ReadState(BatchCodec.WriteState(state));
        var full = BatchCodec.ReadState(JsonSerializer.SerializeToUtf8Bytes(state, type));
        Assert.Equal(JsonSerializer.Serialize(full, type), JsonSerializer.Serialize(compact, type));
        return state;
    }
}
