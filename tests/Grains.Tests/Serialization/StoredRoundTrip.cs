using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
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
    public static ExecutionState? Stored(ExecutionState? state) =>
        Stored(state, ExecutionCodec.WriteState, json => ExecutionCodec.ReadState(json), GrainsJsonContext.Default.ExecutionState);

    public static BatchState? Stored(BatchState? state) =>
        Stored(state, BatchCodec.WriteState, json => BatchCodec.ReadState(json), GrainsJsonContext.Default.BatchState);

    private static T? Stored<T>(T? state, Func<T, byte[]> write, Func<byte[], T> read, JsonTypeInfo<T> full)
        where T : class
    {
        if (state is null)
        {
            return null;
        }
        var compact = read(write(state));
        var expected = read(JsonSerializer.SerializeToUtf8Bytes(state, full));
        Assert.Equal(JsonSerializer.Serialize(expected, full), JsonSerializer.Serialize(compact, full));
        return state;
    }
}
