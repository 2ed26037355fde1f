using System.Text;
using Levee.Executions;
using Levee.Grains.Executions;
using Levee.Grains.Tests.Executions;
using Xunit;

namespace Levee.Grains.Tests.Serialization;

/// <summary>A stored row leaves out what reading restores (see <see cref="StoredRoundTrip"/> for the round trip every scenario checks).</summary>
public sealed class StoredStateJsonTests
{
    [Fact]
    public void BatchChild_StoredState_HoldsNoDefaultsNoComputedValuesAndNoFingerprint()
    {
        var create = ExecutionScenarios.NewCreate("bat_1.7") with { BatchId = "bat_1", BatchIndex = 7 };
        var child = ((ExecutionState?)null).Then(create);
        var json = Encoding.UTF8.GetString(ExecutionCodec.WriteState(child));

        foreach (var left in new[] { "fingerprint", "leaseDuration", "approvals", "reports", "cancelRequested", "attempt", "retry", "tags" })
        {
            Assert.DoesNotContain($"\"{left}\"", json, StringComparison.Ordinal);
        }
        Assert.Contains("\"batchIndex\":7", json, StringComparison.Ordinal);
        Assert.Null(child.Fingerprint);
    }

    [Fact]
    public void NonDefaultValues_AreStored()
    {
        var state = ExecutionScenarios.Created() with { Attempt = 2, Retry = new RetryPolicy(MaxAttempts: 5), CancelRequested = true, Tags = ["a"] };
        var json = Encoding.UTF8.GetString(ExecutionCodec.WriteState(state));
        Assert.Contains("\"attempt\":2", json, StringComparison.Ordinal);
        Assert.Contains("\"retry\":{\"maxAttempts\":5}", json, StringComparison.Ordinal);
        Assert.Contains("\"cancelRequested\":true", json, StringComparison.Ordinal);
        Assert.Contains("\"tags\":[\"a\"]", json, StringComparison.Ordinal);
        Assert.Equal(state.Retry, ExecutionCodec.ReadState(ExecutionCodec.WriteState(state)).Retry);
    }

    [Fact]
    public void ClientCreate_AgainWithTheSameDefinition_IsStillAReplay()
    {
        var state = ExecutionScenarios.Created();
        Assert.NotNull(state.Fingerprint);
        ExecutionScenarios.AssertUnchanged(ExecutionDecider.Decide(state, ExecutionScenarios.NewCreate(), ExecutionScenarios.Now));
    }

    [Fact]
    public void BatchChild_CreatedAgain_IsAConflictNotAReplay()
    {
        var create = ExecutionScenarios.NewCreate("bat_1.7") with { BatchId = "bat_1", BatchIndex = 7 };
        var child = ((ExecutionState?)null).Then(create);
        ExecutionScenarios.AssertRejected(ExecutionDecider.Decide(child, create, ExecutionScenarios.Now), Levee.Errors.ErrorCodes.AlreadyExists, ExecutionStatus.Queued);
    }
}
