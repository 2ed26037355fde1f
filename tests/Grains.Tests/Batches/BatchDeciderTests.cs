using Levee.Batches;
using Levee.Errors;
using Levee.Executions;
using Levee.Grains.Batches;
using Xunit;
using static Levee.Executions.ExecutionStatus;
using static Levee.Grains.Tests.Batches.BatchScenarios;

namespace Levee.Grains.Tests.Batches;

/// <summary>Phase-2 chunks, the seal, and the fold.</summary>
public sealed class BatchDeciderTests
{
    private static readonly DateTimeOffset Later = Now.AddMinutes(5);

    [Fact]
    public void Accept_MissingBatch_NotFound()
    {
        AssertRejected(BatchDecider.Decide(null, Chunk(0), None, Now), ErrorCodes.NotFound, null);
    }

    [Fact]
    public void Accept_FirstChunk_OneItemsAcceptedEventWithTheNewItems()
    {
        var created = Created(5);
        var chunk = Chunk(2, 0, 4);

        var decision = BatchDecider.Decide(created, chunk, None, Later);

        Assert.Null(decision.Rejection);
        var accepted = Assert.IsType<BatchItemsAccepted>(Assert.Single(decision.Events));
        Assert.Equal("items_accepted", accepted.LogType);
        Assert.Equal((Later, 3, 0, 3L), (accepted.At, accepted.Accepted, accepted.Deduplicated, accepted.EnqueuedCount));
        Assert.Equal(chunk.Items, accepted.NewItems);
        var state = BatchDecider.Fold(created, decision.Events)!;
        Assert.Equal(BatchStatus.Pending, state.Status);
        Assert.Equal(3, state.Accepted);
        Assert.Equal(Later, state.UpdatedAt);
        Assert.False(state.Sealed);
    }

    [Fact]
    public void Accept_SecondChunk_EnqueuedCountIsTheRunningTotal()
    {
        var state = Created(5).Accept(0, 1);

        var accepted = Assert.IsType<BatchItemsAccepted>(Assert.Single(BatchDecider.Decide(state, Chunk(2, 3), None, Later).Events));

        Assert.Equal((2, 0, 4L), (accepted.Accepted, accepted.Deduplicated, accepted.EnqueuedCount));
    }

    [Fact]
    public void Accept_DuplicatesWithinTheChunk_FirstOccurrenceWins()
    {
        var first = Item(1, "thumbnail");
        var chunk = new AcceptItems([Item(0), first, Item(0), Item(1, "crop"), Item(2), Item(1)]);

        var accepted = Assert.IsType<BatchItemsAccepted>(Assert.Single(BatchDecider.Decide(Created(5), chunk, None, Now).Events));

        Assert.Equal((3, 3, 3L), (accepted.Accepted, accepted.Deduplicated, accepted.EnqueuedCount));
        Assert.Equal([chunk.Items[0], first, chunk.Items[4]], accepted.NewItems);
    }

    [Fact]
    public void Accept_IndexesAcceptedBefore_Skipped()
    {
        var state = Created(5).Accept(0, 1);

        var accepted = Assert.IsType<BatchItemsAccepted>(Assert.Single(BatchDecider.Decide(state, Chunk(0, 1, 2), Set(0, 1), Later).Events));

        Assert.Equal((1, 2, 3L), (accepted.Accepted, accepted.Deduplicated, accepted.EnqueuedCount));
        Assert.Equal([2], accepted.NewItems.Select(i => i.Index));
    }

    [Fact]
    public void Accept_AcceptedBeforeAndRepeatedInChunk_BothCountAsDeduplicated()
    {
        var state = Created(5).Accept(0);

        var accepted = Assert.IsType<BatchItemsAccepted>(Assert.Single(BatchDecider.Decide(state, Chunk(0, 3, 0, 3, 4), Set(0), Later).Events));

        Assert.Equal((2, 3, 3L), (accepted.Accepted, accepted.Deduplicated, accepted.EnqueuedCount));
        Assert.Equal([3, 4], accepted.NewItems.Select(i => i.Index));
    }

    [Fact]
    public void Accept_EveryIndexAcceptedBefore_Unchanged()
    {
        var state = Created(5).Accept(0, 1, 2);

        AssertUnchanged(BatchDecider.Decide(state, Chunk(2, 0, 1, 1), Set(0, 1, 2), Later));
    }

    [Fact]
    public void Accept_EmptyChunkOnPendingBatch_Unchanged()
    {
        AssertUnchanged(BatchDecider.Decide(Created().Accept(0), new AcceptItems([]), None, Later));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(RunCount)]
    [InlineData(RunCount + 1)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void Accept_IndexOutOfRange_WholeChunkValidationFailed(int index)
    {
        var created = Created();

        AssertRejected(BatchDecider.Decide(created, Chunk(0, 1, index), None, Now), ErrorCodes.ValidationFailed, null, "index");
    }

    [Fact]
    public void Accept_IndexOutOfRangeAmongAlreadyAccepted_StillValidationFailed()
    {
        var state = Created().Accept(0);

        AssertRejected(BatchDecider.Decide(state, Chunk(0, RunCount), Set(0), Later), ErrorCodes.ValidationFailed, null, "index");
    }

    [Fact]
    public void Accept_NoItemTaskAndNoBatchTask_ValidationFailed()
    {
        var created = Created(create: NewCreate() with { Task = null });

        AssertRejected(BatchDecider.Decide(created, new AcceptItems([Item(0, "thumbnail"), Item(1)]), None, Now),
            ErrorCodes.ValidationFailed, null, "task");
    }

    [Fact]
    public void Accept_ItemTaskWithoutBatchTask_Accepted()
    {
        var created = Created(create: NewCreate() with { Task = null });
        var chunk = new AcceptItems([Item(0, "thumbnail"), Item(1, "crop")]);

        var accepted = Assert.IsType<BatchItemsAccepted>(Assert.Single(BatchDecider.Decide(created, chunk, None, Now).Events));

        Assert.Equal(["thumbnail", "crop"], accepted.NewItems.Select(i => i.Task));
    }

    [Fact]
    public void Accept_BatchTaskWithoutItemTask_Accepted()
    {
        var accepted = Assert.IsType<BatchItemsAccepted>(Assert.Single(BatchDecider.Decide(Created(), Chunk(0), None, Now).Events));

        Assert.Null(Assert.Single(accepted.NewItems).Task);
    }

    /// <summary>Items whose own fields would make a child that <c>CreateExecution</c> refuses, with the field named.</summary>
    public static TheoryData<string, string> InvalidItems => new()
    {
        { "task-empty", "task" },
        { "task-blank", "task" },
        { "task-too-long", "task" },
        { "tags-too-many", "tags" },
        { "tags-empty-tag", "tags" },
        { "tags-long-tag", "tags" },
        { "metadata-array", "metadata" },
        { "metadata-number", "metadata" },
    };

    private static BatchItem InvalidItem(string name, int index) => name switch
    {
        "task-empty" => Item(index, ""),
        "task-blank" => Item(index, " \t "),
        "task-too-long" => Item(index, new string('t', CreateExecution.MaxNameLength + 1)),
        "tags-too-many" => Item(index) with { Tags = [.. Enumerable.Range(0, CreateExecution.MaxTags + 1).Select(i => $"t{i}")] },
        "tags-empty-tag" => Item(index) with { Tags = ["ok", ""] },
        "tags-long-tag" => Item(index) with { Tags = [new string('x', 65)] },
        "metadata-array" => Item(index) with { Metadata = Json("[1]") },
        "metadata-number" => Item(index) with { Metadata = Json("7") },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>
    /// The shell spawns each new item as a child through <c>ExecutionDecider</c>; an item it would
    /// refuse must be refused here (400), not leave the shell with no child state to commit.
    /// </summary>
    [Theory]
    [MemberData(nameof(InvalidItems))]
    public void Accept_ItemFieldTheChildWouldRefuse_WholeChunkValidationFailed(string name, string field)
    {
        var created = Created();

        var decision = BatchDecider.Decide(created, new AcceptItems([Item(0), InvalidItem(name, 1)]), None, Now);

        AssertRejected(decision, ErrorCodes.ValidationFailed, null, field);
        Assert.StartsWith("item 1: ", decision.Rejection!.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(InvalidItems))]
    public void Accept_ItemTheChildCreateWouldRefuse_RefusedForTheSameField(string name, string field)
    {
        // What the grain does with each new item: decide the child's create and fold it. Refused,
        // it folds to no state at all, which the grain would then try to commit.
        var batch = Created();
        var item = InvalidItem(name, 0);
        var child = new CreateExecution
        {
            Id = "batch-1.0", Task = item.Task ?? batch.Task!, Queue = batch.Queue, Tags = item.Tags ?? batch.Tags, Metadata = item.Metadata ?? batch.Metadata,
        };
        var spawned = Levee.Grains.Executions.ExecutionDecider.Decide(null, child, Now);
        Assert.Equal(field, spawned.Rejection?.Field);
        Assert.Null(Levee.Grains.Executions.ExecutionDecider.Fold(null, spawned.Events));

        AssertRejected(BatchDecider.Decide(batch, new AcceptItems([item]), None, Now), ErrorCodes.ValidationFailed, null, field);
    }

    [Fact]
    public void Accept_ValidItemOverrides_Accepted()
    {
        var item = new BatchItem(0, new string('t', CreateExecution.MaxNameLength), Json("[1]"),
            [.. Enumerable.Range(0, CreateExecution.MaxTags).Select(i => $"t{i}")], Json("""{"k":1}"""));

        Assert.Equal(["items_accepted"], Types(BatchDecider.Decide(Created(), new AcceptItems([item]), None, Now)));
    }

    [Fact]
    public void Accept_ReachingRunCount_SealsInTheSameDecision()
    {
        var state = Created(5).Accept(0, 1);

        var decision = BatchDecider.Decide(state, Chunk(4, 2, 3), None, Later);

        Assert.Equal(["items_accepted", "sealed"], Types(decision));
        var @sealed = Assert.IsType<BatchSealed>(decision.Events[1]);
        Assert.Equal((Later, 5L), (@sealed.At, @sealed.EnqueuedCount));
        var after = BatchDecider.Fold(state, decision.Events)!;
        Assert.Equal(BatchStatus.Processing, after.Status);
        Assert.True(after.Sealed);
        Assert.Equal(Later, after.SealedAt);
        Assert.Equal(5, after.Accepted);
        Assert.False(after.IsTerminal);
        Assert.Null(after.CompletedAt);
    }

    [Fact]
    public void Accept_SingleItemBatch_SealsOnItsOnlyItem()
    {
        Assert.Equal(["items_accepted", "sealed"], Types(BatchDecider.Decide(Created(1), Chunk(0), None, Now)));
    }

    [Fact]
    public void Accept_WholeBatchInOneChunkWithDuplicates_Seals()
    {
        Assert.Equal(["items_accepted", "sealed"], Types(BatchDecider.Decide(Created(), Chunk(2, 2, 1, 0, 1), None, Now)));
    }

    [Fact]
    public void Accept_SealWhileSomeChildrenFinished_ProcessingNotTerminal()
    {
        var state = Created().Accept(0, 1).Finish(0, Succeeded).Finish(1, Failed);

        var decision = BatchDecider.Decide(state, Chunk(2), None, Later);

        Assert.Equal(["items_accepted", "sealed"], Types(decision));
        Assert.Equal(BatchStatus.Processing, BatchDecider.Fold(state, decision.Events)!.Status);
    }

    [Fact]
    public void Accept_UnderRunCount_NeverSeals()
    {
        var state = Created(4).Accept(0).Accept(1, 2);

        Assert.Equal(BatchStatus.Pending, state.Status);
        Assert.False(state.Sealed);
        Assert.Equal(3, state.Accepted);
    }

    [Fact]
    public void Accept_NewItemsKeepInputTagsAndMetadata()
    {
        var item = new BatchItem(0, "crop", Json("""{"url":"a.png"}"""), ["hot"], Json("""{"k":1}"""));

        var accepted = Assert.IsType<BatchItemsAccepted>(Assert.Single(BatchDecider.Decide(Created(), new AcceptItems([item]), None, Now).Events));

        Assert.Same(item, Assert.Single(accepted.NewItems));
    }

    // --- ChildFinished -------------------------------------------------------------------------

    [Fact]
    public void ChildFinished_MissingBatch_Unchanged()
    {
        AssertUnchanged(BatchDecider.ChildFinished(null, 0, Succeeded, alreadyCounted: false, Now));
    }

    [Theory]
    [InlineData(Queued)]
    [InlineData(Running)]
    [InlineData(Waiting)]
    public void ChildFinished_NonTerminalOutcome_Unchanged(ExecutionStatus outcome)
    {
        AssertUnchanged(BatchDecider.ChildFinished(Created().Accept(0, 1, 2), 0, outcome, alreadyCounted: false, Later));
    }

    [Theory]
    [InlineData(Succeeded)]
    [InlineData(Failed)]
    [InlineData(Cancelled)]
    [InlineData(TimedOut)]
    public void ChildFinished_AlreadyCounted_Unchanged(ExecutionStatus outcome)
    {
        var state = Created().Accept(0, 1, 2).Finish(0, outcome);

        AssertUnchanged(BatchDecider.ChildFinished(state, 0, outcome, alreadyCounted: true, Later));
    }

    [Fact]
    public void ChildFinished_LastChildAlreadyCounted_NoSecondTerminalEvent()
    {
        var completed = InStatus(BatchStatus.Completed);

        AssertUnchanged(BatchDecider.ChildFinished(completed, 2, Succeeded, alreadyCounted: true, Later));
    }

    [Theory]
    [InlineData(Succeeded, 1, 0, 0, 0)]
    [InlineData(Failed, 0, 1, 0, 0)]
    [InlineData(Cancelled, 0, 0, 1, 0)]
    [InlineData(TimedOut, 0, 0, 0, 1)]
    public void ChildFinished_EachOutcome_CountedInItsOwnBucket(ExecutionStatus outcome, long succeeded, long failed, long cancelled, long timedOut)
    {
        var state = Created().Accept(0, 1, 2);

        var decision = BatchDecider.ChildFinished(state, 1, outcome, alreadyCounted: false, Later);

        var child = Assert.IsType<BatchChildFinished>(Assert.Single(decision.Events));
        Assert.Equal(("child_finished", 1, outcome, Later), (child.LogType, child.Index, child.Outcome, child.At));
        var after = BatchDecider.Fold(state, decision.Events)!;
        Assert.Equal((succeeded, failed, cancelled, timedOut), (after.Succeeded, after.Failed, after.Cancelled, after.TimedOut));
        Assert.Equal(1, after.Finished);
        Assert.Equal(BatchStatus.Processing, after.Status);
        Assert.Equal(Later, after.UpdatedAt);
        Assert.Equal(2, after.ToView(0, 0).Counts.Queued);
    }

    [Fact]
    public void ChildFinished_WhilePending_CountedAndStillPending()
    {
        var state = Created().Accept(0, 1);

        var decision = BatchDecider.ChildFinished(state, 0, Succeeded, alreadyCounted: false, Later);

        Assert.Equal(["child_finished"], Types(decision));
        var after = BatchDecider.Fold(state, decision.Events)!;
        Assert.Equal((BatchStatus.Pending, 1L), (after.Status, after.Succeeded));
        Assert.False(after.Sealed);
    }

    [Fact]
    public void ChildFinished_EveryAcceptedChildOfAPendingBatch_NotTerminal()
    {
        var state = Created().Accept(0, 1).Finish(0, Succeeded);

        var decision = BatchDecider.ChildFinished(state, 1, Succeeded, alreadyCounted: false, Later);

        Assert.Equal(["child_finished"], Types(decision));
        Assert.Equal(BatchStatus.Pending, BatchDecider.Fold(state, decision.Events)!.Status);
    }

    [Fact]
    public void ChildFinished_NotTheLastChild_NoTerminalEvent()
    {
        var state = Created().Accept(0, 1, 2).Finish(0, Succeeded);

        Assert.Equal(["child_finished"], Types(BatchDecider.ChildFinished(state, 2, Succeeded, alreadyCounted: false, Later)));
    }

    public static TheoryData<ExecutionStatus[], BatchStatus> Endings => new()
    {
        { [Succeeded, Succeeded, Succeeded], BatchStatus.Completed },
        { [Succeeded, Succeeded, Failed], BatchStatus.PartialFailed },
        { [Cancelled, Succeeded, TimedOut], BatchStatus.PartialFailed },
        { [Failed, Failed, Succeeded], BatchStatus.PartialFailed },
        { [Failed, Failed, Failed], BatchStatus.Failed },
        { [Cancelled, Cancelled, Cancelled], BatchStatus.Failed },
        { [TimedOut, TimedOut, TimedOut], BatchStatus.Failed },
        { [Failed, Cancelled, TimedOut], BatchStatus.Failed },
    };

    [Theory]
    [MemberData(nameof(Endings))]
    public void ChildFinished_LastChildOfSealedBatch_TerminalEventWithTheCounts(ExecutionStatus[] outcomes, BatchStatus expected)
    {
        var state = Created().Accept(0, 1, 2).Finish(0, outcomes[0]).Finish(1, outcomes[1]);

        var decision = BatchDecider.ChildFinished(state, 2, outcomes[2], alreadyCounted: false, Later);

        Assert.Equal("child_finished", decision.Events[0].LogType);
        var finished = Assert.IsType<BatchFinished>(decision.Events[1]);
        Assert.Equal(2, decision.Events.Count);
        Assert.Equal(expected, finished.Status);
        Assert.Equal(expected.ToWire(), finished.LogType);
        Assert.Equal(Later, finished.At);
        Assert.Equal(
            (outcomes.Count(o => o == Succeeded), outcomes.Count(o => o == Failed), outcomes.Count(o => o == Cancelled), outcomes.Count(o => o == TimedOut)),
            ((int)finished.Succeeded, (int)finished.Failed, (int)finished.Cancelled, (int)finished.TimedOut));
        var after = BatchDecider.Fold(state, decision.Events)!;
        Assert.Equal(expected, after.Status);
        Assert.True(after.IsTerminal);
        Assert.Equal(Later, after.CompletedAt);
        Assert.Equal(RunCount, after.Finished);
        Assert.Equal(0, after.ToView(0, 0).Counts.Queued);
    }

    [Fact]
    public void ChildFinished_ChildrenFinishInAnyOrder_SameTerminalStatus()
    {
        var state = Created().Accept(0, 1, 2).Finish(2, Failed).Finish(0, Succeeded);

        var decision = BatchDecider.ChildFinished(state, 1, Succeeded, alreadyCounted: false, Later);

        Assert.Equal(BatchStatus.PartialFailed, Assert.IsType<BatchFinished>(decision.Events[^1]).Status);
    }

    [Theory]
    [InlineData(BatchStatus.Pending)]
    [InlineData(BatchStatus.Processing)]
    public void ChildFinished_AfterCancel_CountedButStaysAborted(BatchStatus before)
    {
        var aborted = (before == BatchStatus.Pending ? Created().Accept(0, 1) : Created().Accept(0, 1, 2)).Cancelled();

        var decision = BatchDecider.ChildFinished(aborted, 0, Cancelled, alreadyCounted: false, Later);

        Assert.Equal(["child_finished"], Types(decision));
        var after = BatchDecider.Fold(aborted, decision.Events)!;
        Assert.Equal((BatchStatus.Aborted, 1L), (after.Status, after.Cancelled));
        Assert.Equal(aborted.CompletedAt, after.CompletedAt);
        Assert.Equal(aborted.AbortReason, after.AbortReason);
    }

    [Fact]
    public void ChildFinished_LastChildOfCancelledSealedBatch_NoFinishedEvent()
    {
        var aborted = Created().Accept(0, 1, 2).Finish(0, Succeeded).Finish(1, Succeeded).Cancelled();

        var decision = BatchDecider.ChildFinished(aborted, 2, Succeeded, alreadyCounted: false, Later);

        Assert.Equal(["child_finished"], Types(decision));
        var after = BatchDecider.Fold(aborted, decision.Events)!;
        Assert.Equal(BatchStatus.Aborted, after.Status);
        Assert.Equal(RunCount, after.Succeeded);
    }

    [Fact]
    public void ChildFinished_AfterAbortAlreadyCounted_Unchanged()
    {
        var aborted = Created().Accept(0, 1).Cancelled().Finish(0, Cancelled);

        AssertUnchanged(BatchDecider.ChildFinished(aborted, 0, Cancelled, alreadyCounted: true, Later));
    }

    // --- Cancel --------------------------------------------------------------------------------

    [Fact]
    public void Cancel_MissingBatch_NotFound()
    {
        AssertRejected(BatchDecider.Decide(null, new CancelBatch(), Now), ErrorCodes.NotFound, null);
    }

    [Fact]
    public void Cancel_Pending_AbortedWithReason()
    {
        var state = Created().Accept(0, 1);

        var decision = BatchDecider.Decide(state, new CancelBatch("no longer needed"), Later);

        var aborted = Assert.IsType<BatchAborted>(Assert.Single(decision.Events));
        Assert.Equal(("aborted", AbortReason.Cancelled, "no longer needed", 2L, Later), (aborted.LogType, aborted.Reason, aborted.Detail, aborted.EnqueuedCount, aborted.At));
        var after = BatchDecider.Fold(state, decision.Events)!;
        Assert.Equal(BatchStatus.Aborted, after.Status);
        Assert.True(after.IsTerminal);
        Assert.False(after.Sealed);
        Assert.Equal((AbortReason.Cancelled, "no longer needed", Later, Later), (after.AbortReason, after.AbortDetail, after.CompletedAt, after.UpdatedAt));
        Assert.Equal(2, after.Accepted);
    }

    [Fact]
    public void Cancel_WithoutReason_ReasonIsCancelled()
    {
        var aborted = Assert.IsType<BatchAborted>(Assert.Single(BatchDecider.Decide(Created(), new CancelBatch(), Later).Events));

        Assert.Equal((AbortReason.Cancelled, "cancelled", 0L), (aborted.Reason, aborted.Detail, aborted.EnqueuedCount));
    }

    [Fact]
    public void Cancel_Processing_AbortedKeepingTheSeal()
    {
        var state = InStatus(BatchStatus.Processing);

        var decision = BatchDecider.Decide(state, new CancelBatch("user"), Later);

        var aborted = Assert.IsType<BatchAborted>(Assert.Single(decision.Events));
        Assert.Equal(RunCount, aborted.EnqueuedCount);
        var after = BatchDecider.Fold(state, decision.Events)!;
        Assert.Equal(BatchStatus.Aborted, after.Status);
        Assert.Equal(state.SealedAt, after.SealedAt);
        Assert.Equal((state.Succeeded, state.Finished), (after.Succeeded, after.Finished));
    }

    [Fact]
    public void Cancel_AlreadyAborted_Unchanged()
    {
        AssertUnchanged(BatchDecider.Decide(InStatus(BatchStatus.Aborted), new CancelBatch("again"), Later));
    }

    [Fact]
    public void Cancel_AbortedBySealTimeout_Unchanged()
    {
        var created = Created();
        var timedOut = created.Then(BatchDecider.SealTimeout(created, created.SealDeadline));

        AssertUnchanged(BatchDecider.Decide(timedOut, new CancelBatch("user"), Later.AddHours(1)));
    }

    [Theory]
    [InlineData(BatchStatus.Completed)]
    [InlineData(BatchStatus.PartialFailed)]
    [InlineData(BatchStatus.Failed)]
    public void Cancel_Finished_TerminalState(BatchStatus status)
    {
        AssertRejected(BatchDecider.Decide(InStatus(status), new CancelBatch("user"), Later), ErrorCodes.TerminalState, status);
    }

    // --- SealTimeout ---------------------------------------------------------------------------

    [Fact]
    public void SealTimeout_MissingBatch_Unchanged()
    {
        AssertUnchanged(BatchDecider.SealTimeout(null, Now.AddDays(30)));
    }

    [Fact]
    public void SealTimeout_PendingAtTheDeadline_Aborted()
    {
        var state = Created(create: NewCreate() with { SealTimeoutMs = 60_000 }).Accept(0);
        var deadline = Now.AddMinutes(1);
        Assert.Equal(deadline, state.SealDeadline);

        var decision = BatchDecider.SealTimeout(state, deadline);

        var aborted = Assert.IsType<BatchAborted>(Assert.Single(decision.Events));
        Assert.Equal((AbortReason.SealTimeout, "not sealed within 60000 ms", 1L, deadline), (aborted.Reason, aborted.Detail, aborted.EnqueuedCount, aborted.At));
        var after = BatchDecider.Fold(state, decision.Events)!;
        Assert.Equal((BatchStatus.Aborted, deadline), (after.Status, after.CompletedAt));
        Assert.Equal((AbortReason.SealTimeout, "not sealed within 60000 ms"), (after.AbortReason, after.AbortDetail));
    }

    [Fact]
    public void SealTimeout_PendingPastTheDeadline_Aborted()
    {
        var state = Created();

        Assert.Equal(["aborted"], Types(BatchDecider.SealTimeout(state, state.SealDeadline.AddDays(3))));
    }

    [Fact]
    public void SealTimeout_PendingBeforeTheDeadline_Unchanged()
    {
        var state = Created().Accept(0);

        AssertUnchanged(BatchDecider.SealTimeout(state, state.SealDeadline.AddTicks(-1)));
        AssertUnchanged(BatchDecider.SealTimeout(state, Now));
    }

    [Fact]
    public void SealTimeout_DeadlineCountsFromCreationNotFromTheLastChunk()
    {
        var state = Created(create: NewCreate() with { SealTimeoutMs = 60_000 }).Accept(Now.AddSeconds(59), 0);

        Assert.Equal(["aborted"], Types(BatchDecider.SealTimeout(state, Now.AddSeconds(60))));
    }

    [Fact]
    public void SealTimeout_PendingWithFinishedChildren_Aborted()
    {
        var state = Created().Accept(0, 1).Finish(0, Succeeded).Finish(1, Succeeded);

        Assert.Equal(["aborted"], Types(BatchDecider.SealTimeout(state, state.SealDeadline)));
    }

    [Theory]
    [InlineData(BatchStatus.Processing)]
    [InlineData(BatchStatus.Completed)]
    [InlineData(BatchStatus.PartialFailed)]
    [InlineData(BatchStatus.Failed)]
    [InlineData(BatchStatus.Aborted)]
    public void SealTimeout_NotPending_Unchanged(BatchStatus status)
    {
        var state = InStatus(status);

        AssertUnchanged(BatchDecider.SealTimeout(state, state.SealDeadline));
        AssertUnchanged(BatchDecider.SealTimeout(state, state.SealDeadline.AddDays(1)));
    }

    [Fact]
    public void SealTimeout_SealedJustBeforeTheDeadline_Unchanged()
    {
        var state = Created(create: NewCreate() with { SealTimeoutMs = 60_000 }).Accept(Now.AddMilliseconds(59_999), 0, 1, 2);

        AssertUnchanged(BatchDecider.SealTimeout(state, Now.AddMinutes(1)));
    }

    // --- Evolve and Fold -----------------------------------------------------------------------

    [Fact]
    public void Evolve_FirstEventNotCreated_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => BatchDecider.Evolve(null, new BatchSealed(Now, 1)));
    }

    [Fact]
    public void Fold_NoEvents_ReturnsTheStateItself()
    {
        var state = Created();

        Assert.Same(state, BatchDecider.Fold(state, []));
        Assert.Null(BatchDecider.Fold(null, []));
    }

    [Fact]
    public void Fold_TheWholeLogAtOnce_EqualsStepByStep()
    {
        var create = NewCreate();
        var log = new List<BatchEvent>();
        BatchState? state = null;
        foreach (var step in new Func<BatchState?, BatchDecision>[]
        {
            s => BatchDecider.Decide(s, create, MaxRunCount, Now),
            s => BatchDecider.Decide(s, Chunk(0, 1), None, Now.AddSeconds(1)),
            s => BatchDecider.ChildFinished(s, 0, Succeeded, false, Now.AddSeconds(2)),
            s => BatchDecider.Decide(s, Chunk(2), None, Now.AddSeconds(3)),
            s => BatchDecider.ChildFinished(s, 2, Failed, false, Now.AddSeconds(4)),
            s => BatchDecider.ChildFinished(s, 1, Succeeded, false, Now.AddSeconds(5)),
        })
        {
            var decision = step(state);
            log.AddRange(decision.Events);
            state = BatchDecider.Fold(state, decision.Events);
        }

        Assert.Equal(state, BatchDecider.Fold(null, log));
        Assert.Equal(BatchStatus.PartialFailed, state!.Status);
        Assert.Equal(["created", "items_accepted", "child_finished", "items_accepted", "sealed", "child_finished", "child_finished", "partial_failed"],
            log.Select(e => e.LogType));
    }
}
