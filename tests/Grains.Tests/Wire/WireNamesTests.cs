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
