using Levee.Batches;
using Levee.Errors;
using Levee.Executions;
using Levee.Grains.Batches;
using Xunit;
using static Levee.Grains.Tests.Batches.BatchScenarios;

namespace Levee.Grains.Tests.Batches;

/// <summary>CreateBatch (Phase 1): validation, creation, replay and conflicts.</summary>
public sealed class BatchDeciderCreateTests
{
    private const long MaxMs = CreateExecution.MaxDurationMs;

    /// <summary>Invalid definitions by name, with the field the rejection must name.</summary>
    private static readonly Dictionary<string, CreateBatch> Invalid = new(StringComparer.Ordinal)
    {
        ["id-empty"] = NewCreate(id: ""),
        ["id-space"] = NewCreate(id: "batch 1"),
        ["id-too-long"] = NewCreate(id: new string('b', ExecutionIds.MaxLength + 1)),
        ["seal-zero"] = NewCreate() with { SealTimeoutMs = 0 },
        ["seal-negative"] = NewCreate() with { SealTimeoutMs = -1 },
        ["seal-over-30-days"] = NewCreate() with { SealTimeoutMs = MaxMs + 1 },
        ["resume-without-parent"] = NewCreate() with { ResumeParent = true },
        ["task-empty"] = NewCreate() with { Task = "" },
        ["task-blank"] = NewCreate() with { Task = "   " },
        ["task-too-long"] = NewCreate() with { Task = new string('t', CreateExecution.MaxNameLength + 1) },
        ["queue-empty"] = NewCreate() with { Queue = "" },
        ["queue-space"] = NewCreate() with { Queue = "my queue" },
        ["parent-invalid"] = NewCreate() with { ParentId = "parent 1" },
        ["retry-attempts-zero"] = NewCreate() with { Retry = new RetryPolicy(0) },
        ["retry-attempts-over"] = NewCreate() with { Retry = new RetryPolicy(101) },
        ["retry-delays-inverted"] = NewCreate() with { Retry = new RetryPolicy(3, 5_000, 2.0, 1_000) },
        ["retry-backoff-below-one"] = NewCreate() with { Retry = new RetryPolicy(3, 1_000, 0.5, 10_000) },
        ["timeouts-execution-zero"] = NewCreate() with { Timeouts = new ExecutionTimeouts(0) },
        ["timeouts-heartbeat-negative"] = NewCreate() with { Timeouts = new ExecutionTimeouts(60_000, -1) },
        ["tags-too-many"] = NewCreate() with { Tags = [.. Enumerable.Range(0, CreateExecution.MaxTags + 1).Select(i => $"t{i}")] },
        ["tags-empty-tag"] = NewCreate() with { Tags = ["ok", ""] },
        ["tags-long-tag"] = NewCreate() with { Tags = [new string('x', 65)] },
        ["metadata-array"] = NewCreate() with { Metadata = Json("[1,2]") },
        ["metadata-string"] = NewCreate() with { Metadata = Json("\"x\"") },
    };

    [Fact]
    public void Create_New_EmitsCreatedAndFoldsToPending()
    {
        var command = NewCreate(5) with
        {
            Retry = new RetryPolicy(4), Timeouts = new ExecutionTimeouts(60_000, 5_000), ParentId = "parent-1", ResumeParent = true,
            SealTimeoutMs = 90_000, Tags = ["a", "b"], Metadata = Json("""{"team":"x"}"""),
        };

        var decision = BatchDecider.Decide(null, command, MaxRunCount, Now);

        Assert.Null(decision.Rejection);
        var created = Assert.IsType<BatchCreated>(Assert.Single(decision.Events));
        Assert.Equal("created", created.LogType);
        Assert.Equal(command, created.Spec);
        Assert.Equal(Now, created.At);
        var state = BatchDecider.Fold(null, decision.Events)!;
        Assert.Equal(BatchStatus.Pending, state.Status);
        Assert.Equal(("batch-1", 5, "resize-image", "images", "parent-1", true), (state.Id, state.RunCount, state.Task, state.Queue, state.ParentId, state.ResumeParent));
        Assert.Equal((command.Retry, command.Timeouts), (state.Retry, state.Timeouts));
        Assert.Equal(["a", "b"], state.Tags);
        Assert.Equal("""{"team":"x"}""", state.Metadata?.GetRawText());
        Assert.Equal(created.Fingerprint, state.Fingerprint);
        Assert.Equal((Now, Now, Now.AddMilliseconds(90_000)), (state.CreatedAt, state.UpdatedAt, state.SealDeadline));
        Assert.Equal(90_000, state.SealTimeoutMs);
        Assert.False(state.Sealed);
        Assert.False(state.IsTerminal);
        Assert.Null(state.SealedAt);
        Assert.Null(state.CompletedAt);
        Assert.Null(state.AbortReason);
        Assert.Equal((0L, 0L, 0L, 0L, 0L), (state.Accepted, state.Succeeded, state.Failed, state.Cancelled, state.TimedOut));
    }

    [Fact]
    public void Create_Defaults_OneHourSealTimeoutNoTagsNoTask()
    {
        var command = new CreateBatch { Id = "batch-1", RunCount = 2 };

        var state = ((BatchState?)null).Then(BatchDecider.Decide(null, command, MaxRunCount, Now));

        Assert.Equal(CreateBatch.DefaultSealTimeoutMs, state.SealTimeoutMs);
        Assert.Equal(Now.AddHours(1), state.SealDeadline);
        Assert.Equal("default", state.Queue);
        Assert.Null(state.Task);
        Assert.Empty(state.Tags);
        Assert.False(state.ResumeParent);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(MaxRunCount)]
    public void Create_RunCountWithinLimit_Accepted(int runCount)
    {
        var state = ((BatchState?)null).Then(BatchDecider.Decide(null, NewCreate(runCount), MaxRunCount, Now));

        Assert.Equal(runCount, state.RunCount);
    }

    [Theory]
    [InlineData(MaxRunCount + 1)]
    [InlineData(int.MaxValue)]
    public void Create_RunCountOverLimit_PayloadTooLarge(int runCount)
    {
        AssertRejected(BatchDecider.Decide(null, NewCreate(runCount), MaxRunCount, Now), ErrorCodes.PayloadTooLarge, null, "runCount");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Create_RunCountNotPositive_ValidationFailed(int runCount)
    {
        AssertRejected(BatchDecider.Decide(null, NewCreate(runCount), MaxRunCount, Now), ErrorCodes.ValidationFailed, null, "runCount");
    }

    [Fact]
    public void Create_LimitIsTheCallersMax_NotAConstant()
    {
        AssertRejected(BatchDecider.Decide(null, NewCreate(11), maxRunCount: 10, Now), ErrorCodes.PayloadTooLarge, null, "runCount");
        Assert.Null(BatchDecider.Decide(null, NewCreate(10), maxRunCount: 10, Now).Rejection);
    }

    [Theory]
    [InlineData("id-empty", "id")]
    [InlineData("id-space", "id")]
    [InlineData("id-too-long", "id")]
    [InlineData("seal-zero", "sealTimeoutMs")]
    [InlineData("seal-negative", "sealTimeoutMs")]
    [InlineData("seal-over-30-days", "sealTimeoutMs")]
    [InlineData("resume-without-parent", "resumeParent")]
    [InlineData("task-empty", "task")]
    [InlineData("task-blank", "task")]
    [InlineData("task-too-long", "task")]
    [InlineData("queue-empty", "queue")]
    [InlineData("queue-space", "queue")]
    [InlineData("parent-invalid", "parentId")]
    [InlineData("retry-attempts-zero", "retry.maxAttempts")]
    [InlineData("retry-attempts-over", "retry.maxAttempts")]
    [InlineData("retry-delays-inverted", "retry")]
    [InlineData("retry-backoff-below-one", "retry.backoffFactor")]
    [InlineData("timeouts-execution-zero", "timeouts")]
    [InlineData("timeouts-heartbeat-negative", "timeouts")]
    [InlineData("tags-too-many", "tags")]
    [InlineData("tags-empty-tag", "tags")]
    [InlineData("tags-long-tag", "tags")]
    [InlineData("metadata-array", "metadata")]
    [InlineData("metadata-string", "metadata")]
    public void Create_InvalidField_ValidationFailedNamingTheField(string name, string field)
    {
        AssertRejected(BatchDecider.Decide(null, Invalid[name], MaxRunCount, Now), ErrorCodes.ValidationFailed, null, field);
    }

    [Fact]
    public void Create_BoundaryValues_Accepted()
    {
        var command = NewCreate() with
        {
            SealTimeoutMs = MaxMs, Task = new string('t', CreateExecution.MaxNameLength), Id = new string('b', ExecutionIds.MaxLength),
            Tags = [.. Enumerable.Range(0, CreateExecution.MaxTags).Select(i => $"t{i}")], Metadata = Json("{}"),
            Retry = new RetryPolicy(100, 0, 10, MaxMs), Timeouts = new ExecutionTimeouts(MaxMs, MaxMs),
        };

        var state = ((BatchState?)null).Then(BatchDecider.Decide(null, command, MaxRunCount, Now));

        Assert.Equal(Now.AddMilliseconds(MaxMs), state.SealDeadline);
    }

    [Fact]
    public void Create_ResumeParentWithParent_Accepted()
    {
        var state = ((BatchState?)null).Then(BatchDecider.Decide(null, NewCreate() with { ParentId = "parent-1", ResumeParent = true }, MaxRunCount, Now));

        Assert.True(state.ResumeParent);
        Assert.Equal("parent-1", state.ParentId);
    }

    [Fact]
    public void Create_ParentWithoutResume_Accepted()
    {
        var state = ((BatchState?)null).Then(BatchDecider.Decide(null, NewCreate() with { ParentId = "parent-1" }, MaxRunCount, Now));

        Assert.False(state.ResumeParent);
    }

    [Theory]
    [InlineData(BatchStatus.Pending)]
    [InlineData(BatchStatus.Processing)]
    [InlineData(BatchStatus.Completed)]
    [InlineData(BatchStatus.PartialFailed)]
    [InlineData(BatchStatus.Failed)]
    [InlineData(BatchStatus.Aborted)]
    public void Create_SameDefinitionAgain_Unchanged(BatchStatus status)
    {
        AssertUnchanged(BatchDecider.Decide(InStatus(status), NewCreate(), MaxRunCount, Now.AddHours(2)));
    }

    [Fact]
    public void Create_EqualDefinitionBuiltSeparately_Unchanged()
    {
        var first = NewCreate() with { Tags = ["a", "b"], Metadata = Json("""{"k":[1,2]}"""), Retry = new RetryPolicy(3) };
        var again = NewCreate() with { Tags = new List<string> { "a", "b" }, Metadata = Json("""{"k":[1,2]}"""), Retry = new RetryPolicy(3) };
        var state = ((BatchState?)null).Then(BatchDecider.Decide(null, first, MaxRunCount, Now));

        AssertUnchanged(BatchDecider.Decide(state, again, MaxRunCount, Now));
    }

    [Theory]
    [InlineData(BatchStatus.Pending)]
    [InlineData(BatchStatus.Processing)]
    [InlineData(BatchStatus.Completed)]
    [InlineData(BatchStatus.PartialFailed)]
    [InlineData(BatchStatus.Failed)]
    [InlineData(BatchStatus.Aborted)]
    public void Create_DifferentDefinition_AlreadyExistsWithCurrentStatus(BatchStatus status)
    {
        AssertRejected(BatchDecider.Decide(InStatus(status), NewCreate(RunCount + 1), MaxRunCount, Now), ErrorCodes.AlreadyExists, status);
    }

    [Theory]
    [InlineData("runCount")]
    [InlineData("task")]
    [InlineData("queue")]
    [InlineData("sealTimeoutMs")]
    [InlineData("retry")]
    [InlineData("timeouts")]
    [InlineData("parentId")]
    [InlineData("resumeParent")]
    [InlineData("tags")]
    [InlineData("tags-order")]
    [InlineData("metadata")]
    public void Create_AnyFieldDiffers_AlreadyExists(string differs)
    {
        var original = NewCreate() with { ParentId = "parent-1", Tags = ["a", "b"], Metadata = Json("""{"k":1}""") };
        var other = differs switch
        {
            "runCount" => original with { RunCount = RunCount + 1 },
            "task" => original with { Task = "crop-image" },
            "queue" => original with { Queue = "other" },
            "sealTimeoutMs" => original with { SealTimeoutMs = 1_000 },
            "retry" => original with { Retry = new RetryPolicy(2) },
            "timeouts" => original with { Timeouts = new ExecutionTimeouts(1_000) },
            "parentId" => original with { ParentId = "parent-2" },
            "resumeParent" => original with { ResumeParent = true },
            "tags" => original with { Tags = ["a"] },
            "tags-order" => original with { Tags = ["b", "a"] },
            "metadata" => original with { Metadata = Json("""{"k":2}""") },
            _ => throw new ArgumentOutOfRangeException(nameof(differs)),
        };
        var state = ((BatchState?)null).Then(BatchDecider.Decide(null, original, MaxRunCount, Now));

        AssertRejected(BatchDecider.Decide(state, other, MaxRunCount, Now), ErrorCodes.AlreadyExists, BatchStatus.Pending);
    }

    [Fact]
    public void Create_InvalidDefinitionOnExistingBatch_ValidationFailedFirst()
    {
        AssertRejected(BatchDecider.Decide(Created(), NewCreate(0), MaxRunCount, Now), ErrorCodes.ValidationFailed, null, "runCount");
    }
}
