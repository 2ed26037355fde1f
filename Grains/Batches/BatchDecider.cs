using Levee.Batches;
using Levee.Errors;
using Levee.Executions;

namespace Levee.Grains.Batches;

/// <summary>A child_finished message as the batch decider reads it.</summary>
/// <param name="Index">The child's index.</param>
/// <param name="Outcome">Its terminal status.</param>
/// <param name="AlreadyCounted">The batch counted it before (its child row says so).</param>
/// <param name="Cost">What it reported over all its attempts; null: nothing.</param>
internal readonly record struct ChildReport(int Index, ExecutionStatus Outcome, bool AlreadyCounted, decimal? Cost = null);

/// <summary>The batch state machine as pure functions (see <c>ExecutionDecider</c> for the conventions).</summary>
internal static class BatchDecider
{
    /// <summary>Phase 1 without house ceilings.</summary>
    public static BatchDecision Decide(BatchState? state, CreateBatch command, int maxRunCount, DateTimeOffset now) =>
        Decide(state, command, maxRunCount, new BatchCeilings(), now);

    /// <summary>
    /// Phase 1. The ceilings in force are the request's, each unset one taken from
    /// <paramref name="defaults"/> (a default <c>minFinished</c> above the batch's <c>runCount</c>
    /// is lowered to it). The fingerprint is the request's alone, so a retry is still a replay
    /// after the defaults change.
    /// </summary>
    public static BatchDecision Decide(BatchState? state, CreateBatch command, int maxRunCount, BatchCeilings defaults, DateTimeOffset now,
        int maxConcurrency = BatchCeilings.DefaultMaxConcurrency)
    {
        if (command.Validate(maxRunCount, maxConcurrency) is { } invalid)
        {
            return BatchDecision.Reject(invalid);
        }
        var fingerprint = Fingerprint(command);
        if (state is not null)
        {
            return state.Fingerprint == fingerprint
                ? BatchDecision.Unchanged
                : BatchDecision.Reject(new Rejection(ErrorCodes.AlreadyExists, $"Batch '{state.Id}' already exists with a different definition.",
                    state.Status.ToWire()));
        }
        var ceilings = (command.Ceilings ?? new BatchCeilings()).Or(defaults);
        if (ceilings.MinFinished > command.RunCount)
        {
            ceilings = ceilings with { MinFinished = command.RunCount };
        }
        return BatchDecision.Accept(new BatchCreated(now, command, fingerprint, ceilings.IsEmpty ? null : ceilings));
    }

    /// <summary>
    /// The one answer to "is a Phase-2 request to a batch that no longer accepts items an
    /// idempotent success?": yes once sealed, processing or finished — including when every child
    /// finished before the seal was recorded, because seal and finish then commit together —
    /// and no only when aborted. Every path that meets a non-accepting batch asks this.
    /// </summary>
    public static bool IsIdempotentRetry(BatchState state) => state.Status != BatchStatus.Aborted && (state.Sealed || state.IsTerminal);

    /// <summary>
    /// Phase 2, one chunk. <paramref name="alreadyAccepted"/> are the chunk's indexes the batch
    /// accepted before (read by the shell; the batch's version guards it). New distinct indexes
    /// create children; reaching <c>runCount</c> seals; if every child already finished, the
    /// batch finishes in the same commit.
    /// </summary>
    public static BatchDecision Decide(BatchState? state, AcceptItems command, IReadOnlySet<int> alreadyAccepted, DateTimeOffset now)
    {
        if (state is null)
        {
            return BatchDecision.Reject(Rejection.NotFound("Batch"));
        }
        if (state.Status != BatchStatus.Pending || state.Sealed)
        {
            return IsIdempotentRetry(state)
                ? BatchDecision.Unchanged
                : BatchDecision.Reject(new Rejection(ErrorCodes.BatchAborted,
                    $"Batch '{state.Id}' was aborted: {state.AbortDetail ?? state.AbortReason?.ToWire()}", state.Status.ToWire()));
        }
        var seen = new HashSet<int>(alreadyAccepted);
        var fresh = new List<BatchItem>();
        foreach (var item in command.Items)
        {
            if (item.Index < 0 || item.Index >= state.RunCount)
            {
                return BatchDecision.Reject(Rejection.Invalid("index", $"index {item.Index} is outside 0..{state.RunCount - 1}."));
            }
            if ((item.Task ?? state.Task) is null)
            {
                return BatchDecision.Reject(Rejection.Invalid("task", $"item {item.Index} has no task and the batch has no default task."));
            }
            if (Validate(item) is { } invalid)
            {
                return BatchDecision.Reject(invalid);
            }
            if (seen.Add(item.Index))
            {
                fresh.Add(item);
            }
        }
        if (fresh.Count == 0)
        {
            return BatchDecision.Unchanged;
        }
        var accepted = state.Accepted + fresh.Count;
        var events = new List<BatchEvent> { new BatchItemsAccepted(now, fresh.Count, command.Items.Count - fresh.Count, accepted, fresh) };
        if (accepted == state.RunCount)
        {
            events.Add(new BatchSealed(now, accepted));
            if (Finish(state with { Accepted = accepted, SealedAt = now, Status = BatchStatus.Processing }, now) is { } finished)
            {
                events.Add(finished);
            }
        }
        return BatchDecision.Accept([.. events]);
    }

    /// <summary>
    /// A child finished (outbox, at least once), with the cost it reported over its attempts.
    /// <paramref name="alreadyCounted"/>: the batch counted it before. Counted children keep
    /// counting (and their cost keeps adding up) after the batch is terminal. A batch that has
    /// every child finished finishes on its own; otherwise the first ceiling the count crosses
    /// aborts it.
    /// </summary>
    public static BatchDecision ChildFinished(BatchState? state, int index, ExecutionStatus outcome, bool alreadyCounted, DateTimeOffset now,
        decimal? cost = null)
    {
        if (state is null || alreadyCounted || !outcome.IsTerminal())
        {
            return BatchDecision.Unchanged;
        }
        var child = new BatchChildFinished(now, index, outcome, cost);
        var after = Evolve(state, child);
        if (Finish(after, now) is { } finished)
        {
            return BatchDecision.Accept(child, finished);
        }
        return !after.IsTerminal && CeilingCrossed(after) is { } abort
            ? BatchDecision.Accept(child, new BatchAborted(now, abort.Reason, abort.Detail, after.Accepted))
            : BatchDecision.Accept(child);
    }

    /// <summary>The ceiling a count has crossed, budget first: once the money is spent, the failure rate no longer matters.</summary>
    private static (AbortReason Reason, string Detail)? CeilingCrossed(BatchState state)
    {
        if (state.Ceilings is not { } ceilings)
        {
            return null;
        }
        if (ceilings.Budget is { } budget && state.Spent >= budget.Limit)
        {
            return (AbortReason.Budget, $"spent {state.Spent} {budget.Unit} of a budget of {budget.Limit}");
        }
        if (ceilings.MaxConsecutiveFailures is { } streak && state.ConsecutiveFailures >= streak)
        {
            return (AbortReason.FailureRate, $"{state.ConsecutiveFailures} children failed in a row (maxConsecutiveFailures {streak})");
        }
        if (ceilings.MaxFailureRate is { } rate && state.Finished >= (ceilings.MinFinished ?? 1) && state.FailedOrTimedOut > rate * state.Finished)
        {
            return (AbortReason.FailureRate,
                $"{state.FailedOrTimedOut} of {state.Finished} finished children failed (maxFailureRate {rate.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
        }
        return null;
    }

    /// <summary>
    /// Many children at once (one outbox round): each counted once — skipping those the batch
    /// counted before and repeats within the round — folded in order, at most one terminal event.
    /// </summary>
    public static BatchDecision ChildrenFinished(BatchState? state, IReadOnlyList<ChildReport> children, DateTimeOffset now)
    {
        var events = new List<BatchEvent>();
        var counted = new HashSet<int>();
        var current = state;
        foreach (var (index, outcome, alreadyCounted, cost) in children)
        {
            if (!counted.Add(index))
            {
                continue;
            }
            var decision = ChildFinished(current, index, outcome, alreadyCounted, now, cost);
            events.AddRange(decision.Events);
            current = Fold(current, decision.Events);
        }
        return events.Count == 0 ? BatchDecision.Unchanged : BatchDecision.Accept([.. events]);
    }

    /// <summary>Cancel: aborts a pending or processing batch; idempotent on aborted.</summary>
    public static BatchDecision Decide(BatchState? state, CancelBatch command, DateTimeOffset now)
    {
        if (state is null)
        {
            return BatchDecision.Reject(Rejection.NotFound("Batch"));
        }
        if (state.Status == BatchStatus.Aborted)
        {
            return BatchDecision.Unchanged;
        }
        return state.IsTerminal
            ? BatchDecision.Reject(new Rejection(ErrorCodes.TerminalState, $"Batch '{state.Id}' is '{state.Status.ToWire()}' (terminal).", state.Status.ToWire()))
            : BatchDecision.Accept(new BatchAborted(now, AbortReason.Cancelled, command.Reason ?? "cancelled", state.Accepted));
    }

    /// <summary>Pause: any batch not terminal; a paused one is unchanged; a finished one has nothing left to hand out (terminal_state).</summary>
    public static BatchDecision Decide(BatchState? state, PauseBatch command, DateTimeOffset now)
    {
        if (state is null)
        {
            return BatchDecision.Reject(Rejection.NotFound("Batch"));
        }
        if (state.Paused)
        {
            return BatchDecision.Unchanged;
        }
        return state.IsTerminal
            ? BatchDecision.Reject(new Rejection(ErrorCodes.TerminalState, $"Batch '{state.Id}' is '{state.Status.ToWire()}' (terminal).", state.Status.ToWire()))
            : BatchDecision.Accept(new BatchPauseSet(now, true, command.Reason));
    }

    /// <summary>Resume: lifts a pause (also on a batch that became terminal while paused); unchanged when not paused.</summary>
    public static BatchDecision Decide(BatchState? state, ResumeBatch command, DateTimeOffset now)
    {
        if (state is null)
        {
            return BatchDecision.Reject(Rejection.NotFound("Batch"));
        }
        return state.Paused ? BatchDecision.Accept(new BatchPauseSet(now, false, command.Reason)) : BatchDecision.Unchanged;
    }

    /// <summary>
    /// An execution waits for this batch (outbox, at least once). Waiting again is unchanged while
    /// the batch runs; on a terminal batch every delivery is accepted, so the commit re-sends the
    /// resume (the execution may have been running when an earlier one arrived; resuming is
    /// idempotent on its side).
    /// </summary>
    public static BatchDecision AttachWaiter(BatchState? state, string executionId, DateTimeOffset now)
    {
        if (state is null)
        {
            return BatchDecision.Unchanged;
        }
        if (!state.IsTerminal && state.ToResume().Contains(executionId, StringComparer.Ordinal))
        {
            return BatchDecision.Unchanged;
        }
        return BatchDecision.Accept(new BatchParentAttached(now, executionId));
    }

    /// <summary>Seal-timeout timer (the repair sweep): a batch still unsealed at its deadline is aborted.</summary>
    public static BatchDecision SealTimeout(BatchState? state, DateTimeOffset now) =>
        state is { Status: BatchStatus.Pending, Sealed: false } && state.SealDeadline <= now
            ? BatchDecision.Accept(new BatchAborted(now, AbortReason.SealTimeout, $"not sealed within {state.SealTimeoutMs} ms", state.Accepted))
            : BatchDecision.Unchanged;

    /// <summary>Deadline timer: a batch not terminal at its <c>ceilings.deadlineMs</c> is aborted (pending or processing alike).</summary>
    public static BatchDecision DeadlinePassed(BatchState? state, DateTimeOffset now) =>
        state is { IsTerminal: false, Deadline: { } deadline } && deadline <= now
            ? BatchDecision.Accept(new BatchAborted(now, AbortReason.Deadline, $"not finished within {state.Ceilings!.DeadlineMs} ms", state.Accepted))
            : BatchDecision.Unchanged;

    public static BatchState Evolve(BatchState? state, BatchEvent @event)
    {
        if (@event is BatchCreated created)
        {
            var spec = created.Spec;
            return new BatchState
            {
                Id = spec.Id, Status = BatchStatus.Pending, RunCount = spec.RunCount, Task = spec.Task, Queue = spec.Queue, Retry = spec.Retry,
                Timeouts = spec.Timeouts, ParentId = spec.ParentId, ResumeParent = spec.ResumeParent, SealTimeoutMs = spec.SealTimeoutMs,
                Tags = spec.Tags ?? [], Metadata = spec.Metadata, Fingerprint = created.Fingerprint, CreatedAt = created.At, UpdatedAt = created.At,
                Ceilings = created.Ceilings,
            };
        }
        var current = state ?? throw new InvalidOperationException($"'{@event.LogType}' cannot be the first event of a batch.");
        return @event switch
        {
            BatchItemsAccepted items => current with { Accepted = items.EnqueuedCount, UpdatedAt = items.At },
            BatchSealed @sealed => current with { SealedAt = @sealed.At, Status = BatchStatus.Processing, UpdatedAt = @sealed.At },
            BatchChildFinished child => Counted(current with { Spent = current.Spent + (child.Cost ?? 0), UpdatedAt = child.At }, child.Outcome),
            BatchFinished finished => current with { Status = finished.Status, CompletedAt = finished.At, UpdatedAt = finished.At },
            BatchParentAttached attached => current.ToResume().Contains(attached.ParentId, StringComparer.Ordinal)
                ? current with { UpdatedAt = attached.At }
                : current with { Waiters = [.. current.Waiters, attached.ParentId], UpdatedAt = attached.At },
            BatchPauseSet pause => current with { Paused = pause.Paused, UpdatedAt = pause.At },
            BatchDeleteRequested deleting => current with { DeletingAt = deleting.At, UpdatedAt = deleting.At },
            BatchChildrenPurged purged => current with { PurgedPages = current.PurgedPages + 1, UpdatedAt = purged.At },
            BatchAborted aborted => current with
            {
                Status = BatchStatus.Aborted, AbortReason = aborted.Reason, AbortDetail = aborted.Detail, CompletedAt = aborted.At, UpdatedAt = aborted.At,
            },
            _ => throw new InvalidOperationException($"Unknown batch event '{@event.GetType().Name}'."),
        };
    }

    public static BatchState? Fold(BatchState? state, IEnumerable<BatchEvent> events) =>
        events.Aggregate(state, (s, e) => e is BatchDeleted ? null : Evolve(s, e));

    /// <summary>Delete: only a terminal batch; a deleted one (even while its children are still being removed) is not found.</summary>
    public static BatchDecision Delete(BatchState? state, DateTimeOffset now) =>
        state is null or { DeletingAt: not null } ? BatchDecision.Reject(Rejection.NotFound("Batch"))
        : !state.IsTerminal ? BatchDecision.Reject(new Rejection(ErrorCodes.NotTerminal,
            $"Batch '{state.Id}' is '{state.Status.ToWire()}'; only a terminal batch can be deleted.", state.Status.ToWire()))
        : BatchDecision.Accept(new BatchDeleteRequested(now));

    /// <summary>Retention timer: a terminal batch kept for <paramref name="retention"/> since it last changed is deleted.</summary>
    public static BatchDecision ExpireRetention(BatchState? state, TimeSpan? retention, DateTimeOffset now) =>
        state is { IsTerminal: true, DeletingAt: null } && retention is { } keep && state.UpdatedAt + keep <= now
            ? BatchDecision.Accept(new BatchDeleteRequested(now))
            : BatchDecision.Unchanged;

    /// <summary>
    /// Purge timer of a deleted batch: remove the next page of <paramref name="children"/> (the
    /// lowest indexes still recorded), and once none is left, the batch itself.
    /// </summary>
    public static BatchDecision PurgePage(BatchState? state, IReadOnlyList<int> children, DateTimeOffset now) =>
        state is not { DeletingAt: not null } ? BatchDecision.Unchanged
        : children.Count > 0 ? BatchDecision.Accept(new BatchChildrenPurged(now, children))
        : BatchDecision.Accept(new BatchDeleted(now));

    /// <summary>One more child in its outcome's count; a failure extends the run of failures, a success ends it, a cancel leaves it.</summary>
    private static BatchState Counted(BatchState state, ExecutionStatus outcome) => outcome switch
    {
        ExecutionStatus.Succeeded => state with { Succeeded = state.Succeeded + 1, ConsecutiveFailures = 0 },
        ExecutionStatus.Failed => state with { Failed = state.Failed + 1, ConsecutiveFailures = state.ConsecutiveFailures + 1 },
        ExecutionStatus.TimedOut => state with { TimedOut = state.TimedOut + 1, ConsecutiveFailures = state.ConsecutiveFailures + 1 },
        ExecutionStatus.Cancelled => state with { Cancelled = state.Cancelled + 1 },
        _ => throw new InvalidOperationException($"A child cannot finish as '{outcome.ToWire()}' — a bug."),
    };

    /// <summary>The terminal event once a processing batch has every child finished.</summary>
    private static BatchFinished? Finish(BatchState state, DateTimeOffset now)
    {
        if (state.Status != BatchStatus.Processing || state.Finished < state.RunCount)
        {
            return null;
        }
        var status = state.Succeeded == state.RunCount ? BatchStatus.Completed : state.Succeeded == 0 ? BatchStatus.Failed : BatchStatus.PartialFailed;
        return new BatchFinished(now, status, state.Succeeded, state.Failed, state.Cancelled, state.TimedOut);
    }

    /// <summary>
    /// The item's own fields, checked as the child they become would be (the batch's were checked
    /// on create): a child the shell cannot create must be refused here, not fail the commit.
    /// </summary>
    private static Rejection? Validate(BatchItem item) =>
        CreateExecution.ValidateItemFields(item.Task, item.Tags, item.Metadata) is { } invalid
            ? invalid with { Detail = $"item {item.Index}: {invalid.Detail}" }
            : null;

    private static string Fingerprint(CreateBatch command) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
            System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(command, Serialization.GrainsJsonContext.Default.CreateBatch)));
}
