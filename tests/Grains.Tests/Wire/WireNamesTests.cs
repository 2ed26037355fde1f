using System.Text.Json;
using System.Text.Json.Serialization;
using Levee.Batches;
using Levee.Executions;
using Levee.Wire;
using Xunit;

namespace Levee.Grains.Tests.Wire;

/// <summary>One wire-name source per enum: the names agree with what System.Text.Json writes, round-trip, and refuse the unknown.</summary>
public sealed class WireNamesTests
{
    [Fact]
    public void EveryWireName_IsWhatJsonWrites_AndParsesBack()
    {
        AssertAgreesWithJson<ExecutionStatus>();
        AssertAgreesWithJson<BatchStatus>();
        AssertAgreesWithJson<ApprovalStatus>();
    }

    [Fact]
    public void ExecutionStatus_WireNames_AreTheDocumentedOnes()
    {
        Assert.Equal(["queued", "running", "waiting", "succeeded", "failed", "cancelled", "timed_out"], ExecutionStatusNames.All);
        Assert.Equal(["pending", "processing", "completed", "partial_failed", "failed", "aborted"], WireNames<BatchStatus>.All);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Queued")]
    [InlineData("timedOut")]
    [InlineData("TimedOut")]
    [InlineData(" queued")]
    public void TryParse_AnythingButAnExactName_IsFalse(string? name)
    {
        Assert.False(WireNames<ExecutionStatus>.TryParse(name, out _));
    }

    [Fact]
    public void Of_AValueOutsideTheEnum_ThrowsInsteadOfGuessing()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => WireNames<BatchStatus>.Of((BatchStatus)42));
        Assert.Contains("a bug", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => ((ExecutionStatus)(-1)).ToWire());
    }

    [Fact]
    public void AnEnumWithoutWireNames_IsRefusedOnFirstUse()
    {
        var ex = Assert.Throws<TypeInitializationException>(() => WireNames<Unnamed>.All);
        Assert.Contains("JsonStringEnumMemberName", ex.InnerException!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExecutionEventTypes_TerminalEventsAreNamedAfterTheirStatus()
    {
        foreach (var status in Enum.GetValues<ExecutionStatus>())
        {
            Assert.Equal(status.IsTerminal(), ExecutionEventTypes.IsTerminal(status.ToWire()));
        }
        Assert.False(ExecutionEventTypes.IsTerminal(ExecutionEventTypes.Status));
        Assert.False(ExecutionEventTypes.IsTerminal(ExecutionEventTypes.Created));
    }

    private static void AssertAgreesWithJson<TEnum>()
        where TEnum : struct, Enum
    {
        var options = new JsonSerializerOptions { Converters = { new JsonStringEnumConverter<TEnum>() } };
        foreach (var value in Enum.GetValues<TEnum>())
        {
            var name = WireNames<TEnum>.Of(value);
            Assert.Equal(JsonSerializer.Serialize(value, options), $"\"{name}\"");
            Assert.True(WireNames<TEnum>.TryParse(name, out var parsed));
            Assert.Equal(value, parsed);
        }
        Assert.Equal(Enum.GetValues<TEnum>().Length, WireNames<TEnum>.All.Count);
    }

    private enum Unnamed
    {
        One,
        Two,
    }
}

/// <summary>Sub-states are enums in memory and keep the names already stored in state rows.</summary>
public sealed class StoredNamesTests
{
    [Theory]
    [InlineData(Levee.Grains.Executions.AttemptEnd.Suspended, "suspended")]
    [InlineData(Levee.Grains.Executions.AttemptEnd.TimedOut, "timed_out")]
    [InlineData(Levee.Grains.Executions.AttemptEnd.Retry, "retry")]
    [InlineData(Levee.Grains.Executions.AttemptEnd.Expired, "expired")]
    internal void ExecutionState_AttemptEndAndWaitKind_AreStoredByTheirNamesAndReadBack(Levee.Grains.Executions.AttemptEnd end, string stored)
    {
        var state = Levee.Grains.Tests.Executions.ExecutionScenarios.Created() with
        {
            AttemptEnd = end, WaitingFor = new WaitingFor(WaitKind.Batch, "bat_1"),
        };
        var json = System.Text.Encoding.UTF8.GetString(Levee.Grains.Executions.ExecutionCodec.WriteState(state));
        Assert.Contains($"\"attemptEnd\":\"{stored}\"", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"batch\"", json, StringComparison.Ordinal);
        var read = Levee.Grains.Executions.ExecutionCodec.ReadState(System.Text.Encoding.UTF8.GetBytes(json));
        Assert.Equal((end, WaitKind.Batch), (read.AttemptEnd, read.WaitingFor!.Kind));
    }

    [Fact]
    public void WaitKind_OnTheWire_IsLowerCase()
    {
        Assert.Equal(["approval", "batch"], WireNames<WaitKind>.All);
        Assert.Equal("{\"Kind\":\"approval\",\"Id\":\"c\"}", JsonSerializer.Serialize(new WaitingFor(WaitKind.Approval, "c")));
    }
}
