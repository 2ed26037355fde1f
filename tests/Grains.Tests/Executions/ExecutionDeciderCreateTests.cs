using Levee.Errors;
using Levee.Executions;
using Levee.Grains.Executions;
using Xunit;
using static Levee.Grains.Tests.Executions.ExecutionScenarios;

namespace Levee.Grains.Tests.Executions;

/// <summary>CreateExecution: validation, creation, replay and conflicts.</summary>
public sealed class ExecutionDeciderCreateTests
{
    private const long Max = CreateExecution.MaxDurationMs;

    [Fact]
    public void Create_New_EmitsCreatedAndFoldsToQueued()
    {
        var command = NewCreate() with
        {
            Retry = new RetryPolicy(5), Timeouts = new ExecutionTimeouts(60_000), DelayMs = 1_500, ParentId = "parent-1",
            Tags = ["a", "b"], Metadata = Json("""{"team":"x"}"""), IdempotencyKey = "key-1",
        };

        var decision = ExecutionDecider.Decide(null, command, Now);

        Assert.Null(decision.Rejection);
        var created = Assert.IsType<ExecutionCreated>(Assert.Single(decision.Events));
        Assert.Equal(ExecutionEventTypes.Created, created.LogType);
        Assert.Equal(command.Fingerprint(), created.Fingerprint);
        Assert.Equal(Now.AddMilliseconds(1_500), created.AvailableAt);
        var state = ExecutionDecider.Fold(null, decision.Events)!;
        Assert.Equal(ExecutionStatus.Queued, state.Status);
        Assert.Equal(("exec-1", "send-email", "mail", "parent-1", "key-1"), (state.Id, state.Task, state.Queue, state.ParentId, state.IdempotencyKey));
        Assert.Equal(0, state.Attempt);
        Assert.Equal(5, state.Retry.MaxAttempts);
        Assert.Equal(["a", "b"], state.Tags);
        Assert.Equal((Now, Now, Now.AddMilliseconds(1_500)), (state.CreatedAt, state.UpdatedAt, state.AvailableAt));
        Assert.Null(state.StartedAt);
        Assert.Null(state.CompletedAt);
    }

    [Fact]
    public void Create_Defaults_UseDefaultRetryNoDelayNoTags()
    {
        var state = Created();

        Assert.Equal(RetryPolicy.Default, state.Retry);
        Assert.Equal(Now, state.AvailableAt);
        Assert.Empty(state.Tags);
    }

    [Theory]
    [InlineData(ExecutionStatus.Queued)]
    [InlineData(ExecutionStatus.Running)]
    [InlineData(ExecutionStatus.Waiting)]
    [InlineData(ExecutionStatus.Succeeded)]
    [InlineData(ExecutionStatus.Cancelled)]
    public void Create_SameDefinitionAgain_Unchanged(ExecutionStatus status)
    {
        AssertUnchanged(ExecutionDecider.Decide(InStatus(status), NewCreate(), Now.AddHours(1)));
    }

    [Fact]
    public void Create_SameDefinitionWithOtherIdempotencyKey_Unchanged()
    {
        var replay = NewCreate() with { IdempotencyKey = "other-key" };

        AssertUnchanged(ExecutionDecider.Decide(Created(), replay, Now));
    }

    [Theory]
    [InlineData(ExecutionStatus.Queued)]
    [InlineData(ExecutionStatus.Running)]
    [InlineData(ExecutionStatus.Failed)]
    public void Create_DifferentDefinition_AlreadyExists(ExecutionStatus status)
    {
        var other = NewCreate() with { Task = "send-sms" };

        AssertRejected(ExecutionDecider.Decide(InStatus(status), other, Now), ErrorCodes.AlreadyExists, status);
    }

    [Theory]
    [InlineData("empty-id", "id")]
    [InlineData("long-id", "id")]
    [InlineData("bad-id", "id")]
    [InlineData("empty-task", "task")]
    [InlineData("blank-task", "task")]
    [InlineData("long-task", "task")]
    [InlineData("empty-queue", "queue")]
    [InlineData("bad-queue", "queue")]
    [InlineData("bad-parent", "parentId")]
    [InlineData("self-parent", "parentId")]
    [InlineData("reserved-batch-id", "id")]
    [InlineData("reserved-child-id", "id")]
    [InlineData("negative-delay", "delayMs")]
    [InlineData("huge-delay", "delayMs")]
    [InlineData("zero-attempts", "retry.maxAttempts")]
    [InlineData("too-many-attempts", "retry.maxAttempts")]
    [InlineData("negative-initial-delay", "retry")]
    [InlineData("max-below-initial", "retry")]
    [InlineData("huge-max-delay", "retry")]
    [InlineData("small-backoff", "retry.backoffFactor")]
    [InlineData("large-backoff", "retry.backoffFactor")]
    [InlineData("nan-backoff", "retry.backoffFactor")]
    [InlineData("zero-execution-timeout", "timeouts")]
    [InlineData("huge-execution-timeout", "timeouts")]
    [InlineData("negative-heartbeat", "timeouts")]
    [InlineData("huge-heartbeat", "timeouts")]
    [InlineData("too-many-tags", "tags")]
    [InlineData("empty-tag", "tags")]
    [InlineData("long-tag", "tags")]
    [InlineData("array-metadata", "metadata")]
    [InlineData("string-metadata", "metadata")]
    public void Create_InvalidField_ValidationFailedWithField(string scenario, string field)
    {
        var command = Invalid(scenario);

        var fresh = ExecutionDecider.Decide(null, command, Now);
        var existing = ExecutionDecider.Decide(Created(), command, Now);

        AssertRejected(fresh, ErrorCodes.ValidationFailed, null);
        Assert.Equal(field, fresh.Rejection!.Field);
        Assert.Equal(fresh.Rejection, existing.Rejection);
    }

    [Theory]
    [InlineData("bat")]
    [InlineData("bat-1")]
    [InlineData("batch_1")]
    [InlineData("BAT_1")]
    public void Create_IdsThatOnlyLookLikeTheBatchPrefix_AreAccepted(string id) =>
        Assert.Null(ExecutionDecider.Decide(null, NewCreate(id), Now).Rejection);

    [Fact]
    public void Create_BatchChildWithItsReservedId_IsAccepted() =>
        Assert.Null(ExecutionDecider.Decide(null, NewCreate("bat_01J0000000000000000000000A.7") with { BatchId = "bat_01J0000000000000000000000A", BatchIndex = 7 }, Now).Rejection);

    [Fact]
    public void Create_BoundaryValues_Accepted()
    {
        var command = NewCreate(new string('x', ExecutionIds.MaxLength)) with
        {
            Task = new string('t', CreateExecution.MaxNameLength), Queue = "a-b_c.d:e", DelayMs = Max,
            Retry = new RetryPolicy(100, 0, 10, Max), Timeouts = new ExecutionTimeouts(Max, Max),
            Tags = Enumerable.Range(0, CreateExecution.MaxTags).Select(i => new string('g', 64 - (i % 2))).ToList(),
            Metadata = Json("{}"),
        };

        var decision = ExecutionDecider.Decide(null, command, Now);

        Assert.Null(decision.Rejection);
        Assert.Single(decision.Events);
    }

    private static CreateExecution Invalid(string scenario)
    {
        var valid = NewCreate();
        return scenario switch
        {
            "empty-id" => valid with { Id = "" },
            "long-id" => valid with { Id = new string('x', ExecutionIds.MaxLength + 1) },
            "bad-id" => valid with { Id = "exec/1" },
            "empty-task" => valid with { Task = "" },
            "blank-task" => valid with { Task = "  " },
            "long-task" => valid with { Task = new string('t', CreateExecution.MaxNameLength + 1) },
            "empty-queue" => valid with { Queue = "" },
            "bad-queue" => valid with { Queue = "mail queue" },
            "bad-parent" => valid with { ParentId = "" },
            "self-parent" => valid with { ParentId = valid.Id },
            "reserved-batch-id" => valid with { Id = "bat_x" },
            "reserved-child-id" => valid with { Id = "bat_01J0000000000000000000000A.7" },
            "negative-delay" => valid with { DelayMs = -1 },
            "huge-delay" => valid with { DelayMs = Max + 1 },
            "zero-attempts" => valid with { Retry = new RetryPolicy(0) },
            "too-many-attempts" => valid with { Retry = new RetryPolicy(101) },
            "negative-initial-delay" => valid with { Retry = new RetryPolicy(InitialDelayMs: -1) },
            "max-below-initial" => valid with { Retry = new RetryPolicy(InitialDelayMs: 10, MaxDelayMs: 9) },
            "huge-max-delay" => valid with { Retry = new RetryPolicy(MaxDelayMs: Max + 1) },
            "small-backoff" => valid with { Retry = new RetryPolicy(BackoffFactor: 0.5) },
            "large-backoff" => valid with { Retry = new RetryPolicy(BackoffFactor: 10.5) },
            "nan-backoff" => valid with { Retry = new RetryPolicy(BackoffFactor: double.NaN) },
            "zero-execution-timeout" => valid with { Timeouts = new ExecutionTimeouts(ExecutionMs: 0) },
            "huge-execution-timeout" => valid with { Timeouts = new ExecutionTimeouts(ExecutionMs: Max + 1) },
            "negative-heartbeat" => valid with { Timeouts = new ExecutionTimeouts(HeartbeatMs: -5) },
            "huge-heartbeat" => valid with { Timeouts = new ExecutionTimeouts(HeartbeatMs: Max + 1) },
            "too-many-tags" => valid with { Tags = Enumerable.Range(0, CreateExecution.MaxTags + 1).Select(i => $"t{i}").ToList() },
            "empty-tag" => valid with { Tags = ["ok", ""] },
            "long-tag" => valid with { Tags = [new string('g', 65)] },
            "array-metadata" => valid with { Metadata = Json("[1]") },
            "string-metadata" => valid with { Metadata = Json("\"x\"") },
            _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null),
        };
    }
}
