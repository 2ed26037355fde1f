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

        foreach (var left in new[] { "fingerprint", "leaseDuration", "approvals", "reports", "cancelRequested", "attempt", "retry", "tags", "availableAt", "updatedAt" })
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
    public void TimesThatFallBackToCreatedAt_AreStoredOnlyWhenTheyDiffer()
    {
        var created = ExecutionScenarios.Created();
        var fresh = ExecutionCodec.ReadState(ExecutionCodec.WriteState(created));
        Assert.Equal((created.CreatedAt, created.CreatedAt), (fresh.AvailableAt, fresh.UpdatedAt));

        var later = created with { AvailableAt = created.CreatedAt.AddSeconds(5), UpdatedAt = created.CreatedAt.AddSeconds(1) };
        var json = Encoding.UTF8.GetString(ExecutionCodec.WriteState(later));
        var read = ExecutionCodec.ReadState(ExecutionCodec.WriteState(later));

        Assert.Contains("\"availableAt\"", json, StringComparison.Ordinal);
        Assert.Contains("\"updatedAt\"", json, StringComparison.Ordinal);
        Assert.Equal((later.AvailableAt, later.UpdatedAt), (read.AvailableAt, read.UpdatedAt));
        // Same instant, other offset: stored, since reading would give back CreatedAt's offset.
        var shifted = created with { UpdatedAt = created.CreatedAt.ToOffset(TimeSpan.FromHours(2)) };
        Assert.Equal(TimeSpan.FromHours(2), ExecutionCodec.ReadState(ExecutionCodec.WriteState(shifted)).UpdatedAt.Offset);
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

/// <summary>Stored records map to the public views in one place, losing nothing.</summary>
public sealed class StoredViewsTests
{
    [Fact]
    public void StoredBatchSummary_FromAView_GivesTheSameViewBack()
    {
        var now = ExecutionScenarios.Now;
        var view = new Levee.Batches.BatchView
        {
            Id = "bat_1", Status = Levee.Batches.BatchStatus.PartialFailed, RunCount = 3, EnqueuedCount = 3, Sealed = true,
            Counts = new Levee.Batches.BatchCounts { Queued = 0, Running = 0, Waiting = 0, Succeeded = 1, Failed = 1, Cancelled = 0, TimedOut = 1 },
            Task = "t", Queue = "q", ParentId = "p", ResumeParent = true, Tags = ["a"], CreatedAt = now, SealedAt = now.AddSeconds(1),
            CompletedAt = now.AddSeconds(2), SealDeadline = now.AddHours(1), Version = 7, LastEventSeq = 9,
        };
        var options = new System.Text.Json.JsonSerializerOptions();
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(view, options),
            System.Text.Json.JsonSerializer.Serialize(StoredBatchSummary.From(view).ToView(), options));
    }

    [Fact]
    public void StoredApproval_ToView_CarriesEveryField()
    {
        var now = ExecutionScenarios.Now;
        var stored = new StoredApproval
        {
            ToolCallId = "c", Tool = "t", Input = ExecutionScenarios.Json("""{"x":1}"""), Status = ApprovalStatus.Denied, Reason = "no",
            RequestedAt = now, DecidedAt = now.AddSeconds(1), ExpiresAt = now.AddMinutes(1),
        };
        var view = stored.ToView();
        Assert.Equal((stored.ToolCallId, stored.Tool, stored.Input!.Value.GetRawText(), stored.Status, stored.Reason, stored.RequestedAt, stored.DecidedAt, stored.ExpiresAt),
            (view.ToolCallId, view.Tool, view.Input!.Value.GetRawText(), view.Status, view.Reason, view.RequestedAt, view.DecidedAt, view.ExpiresAt));
    }
}
