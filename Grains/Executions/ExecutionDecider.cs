using Levee.Errors;
using Levee.Executions;

namespace Levee.Grains.Executions;

/// <summary>
/// The execution state machine as pure functions: no I/O, no clock (time is an argument), no
/// randomness. Every guarantee about executions lives here and is tested here.
/// </summary>
internal static partial class ExecutionDecider
{
    /// <summary>Create: new -> created; same definition again -> unchanged; else already_exists.</summary>
    public static Decision Decide(ExecutionState? state, CreateExecution command, DateTimeOffset now)
    {
        if (command.Validate() is { } invalid)
        {
            return Decision.Reject(invalid);
        }
        // A batch child is created by its batch alone, exactly once (its index is deduplicated), so
        // it keeps no fingerprint: a million children would each hash their spec for nothing, and
        // any other create of its id is a conflict.
        var fingerprint = command.BatchId is null ? command.Fingerprint() : null;
        if (state is not null)
        {
            return fingerprint is not null && state.Fingerprint == fingerprint
                ? Decision.Unchanged
                : Decision.Reject(new Rejection(ErrorCodes.AlreadyExists,
                    $"Execution '{state.Id}' already exists with a different definition.", state.Status.ToWire()));
        }
        var availableAt = now.AddMilliseconds(command.DelayMs ?? 0);
        return Decision.Accept(new ExecutionCreated(now, command, fingerprint, availableAt));
    }

    /// <summary>
    /// Strict status write. Terminal: same status = unchanged, anything else = terminal_state.
    /// Non-terminal: never backwards (illegal_transition); <c>waiting</c> only through the
    /// approval and batch-wait commands.
    /// </summary>
    public static Decision Decide(ExecutionState? state, WriteStatus command, DateTimeOffset now)
    {
        if (state is null)
        {
            return Decision.Reject(Rejection.NotFound("Execution"));
        }
        if (state.Status.IsTerminal())
        {
            return command.Status == state.Status ? Decision.Unchanged : TerminalState(state, command.Status.ToWire());
        }
        if (LeaseGuard(state, command.LeaseId, now) is { } lost)
        {
            return Decision.Reject(lost);
        }
        if (command.Status == state.Status)
        {
            return Decision.Unchanged;
        }
        if (command.Status is ExecutionStatus.Queued or ExecutionStatus.Waiting || command.Status.Rank() < state.Status.Rank()
            || (state.Status == ExecutionStatus.Waiting && command.Status == ExecutionStatus.Running))
        {
            return Decision.Reject(new Rejection(ErrorCodes.IllegalTransition,
                $"Cannot move an execution from '{state.Status.ToWire()}' to '{command.Status.ToWire()}'.", state.Status.ToWire()));
        }
        if (command.Status == ExecutionStatus.Cancelled)
        {
            return Decision.Accept(new ExecutionCancelled(now, null));
        }
        var attempt = Math.Max(state.Attempt, 1);
        return Decision.Accept(new StatusChanged(now, command.Status, attempt, null,
            command.Status == ExecutionStatus.Succeeded ? command.Output : null, command.Error));
    }

    /// <summary>
    /// Fire-and-forget report, merged so that any order and any duplication of the same reports
    /// ends in the same state: reports of other attempts and seen sequence numbers are dropped;
    /// a status applies when its rank is higher, or equal-rank with a higher sequence number;
    /// nothing ever touches a terminal execution.
    /// </summary>
    public static Decision Decide(ExecutionState? state, ReportEvent report, DateTimeOffset now)
    {
        if (state is null || state.Status.IsTerminal())
        {
            return Decision.Unchanged;
        }
        var currentAttempt = Math.Max(state.Attempt, 1);
        var attempt = report.Attempt ?? currentAttempt;
        if (attempt != currentAttempt || report.Seq is <= 0 || (report.Seq is { } s && state.Reports.Contains(s)))
        {
            return Decision.Unchanged;
        }
        // A cost rides with the report it came on, and counts once: its seq is recorded with it.
        ExecutionEvent[] cost = report.Cost is > 0 ? [new CostReported(now, attempt, report.Cost.Value, report.Seq)] : [];
        if (report.Status is { } status && Supersedes(state, status, report.Seq))
        {
            // A reported cancelled is a status change like the others: it carries the attempt (and so
            // starts it), whichever of the attempt's reports arrives first.
            return Decision.Accept([.. cost, new StatusChanged(now, status, attempt, report.Seq,
                status == ExecutionStatus.Succeeded ? report.Output : null, report.Error)]);
        }
        if (report.Type is not null || report.Data is not null)
        {
            return Decision.Accept([.. cost, new ReportRecorded(now, report.Type ?? "report", attempt, report.Seq, report.Data)]);
        }
        return cost.Length > 0 ? Decision.Accept(cost) : Decision.Unchanged;
    }

    /// <summary>Output chunks: appended while the execution is not terminal.</summary>
    public static Decision Decide(ExecutionState? state, AppendOutput command, DateTimeOffset now)
    {
        if (state is null)
        {
            return Decision.Reject(Rejection.NotFound("Execution"));
        }
        if (state.Status.IsTerminal())
        {
            return TerminalState(state, "output");
        }
        if (LeaseGuard(state, command.LeaseId, now) is { } lost)
        {
            return Decision.Reject(lost);
        }
        if (command.Chunks.Count == 0)
        {
            return Decision.Reject(Rejection.Invalid("chunks", "chunks must not be empty."));
        }
        return Decision.Accept(command.Chunks.Select(ExecutionEvent (chunk) => new OutputAppended(now, chunk)).ToArray());
    }

    /// <summary>Cancel: from any non-terminal status; idempotent on cancelled; terminal_state otherwise.</summary>
    public static Decision Decide(ExecutionState? state, CancelExecution command, DateTimeOffset now)
    {
        if (state is null)
        {
            return Decision.Reject(Rejection.NotFound("Execution"));
        }
        if (state.Status.IsTerminal())
        {
            return state.Status == ExecutionStatus.Cancelled ? Decision.Unchanged : TerminalState(state, "cancelled");
        }
        return Decision.Accept(new ExecutionCancelled(now, command.Reason));
    }

    /// <summary>Applies one event. Total over (state, event) pairs the deciders can produce.</summary>
    public static ExecutionState Evolve(ExecutionState? state, ExecutionEvent @event)
    {
        if (@event is ExecutionCreated created)
        {
            var spec = created.Spec;
            return new ExecutionState
            {
                Id = spec.Id, Task = spec.Task, Queue = spec.Queue, Status = ExecutionStatus.Queued,
                Retry = spec.Retry ?? RetryPolicy.Default, Timeouts = spec.Timeouts, Input = spec.Input,
                ParentId = spec.ParentId, BatchId = spec.BatchId, BatchIndex = spec.BatchIndex, Tags = spec.Tags ?? [], Metadata = spec.Metadata, IdempotencyKey = spec.IdempotencyKey,
                ConcurrencyCapped = spec.ConcurrencyCapped,
                Fingerprint = created.Fingerprint, AvailableAt = created.AvailableAt, CreatedAt = created.At, UpdatedAt = created.At,
            };
        }
        var current = state ?? throw new InvalidOperationException($"'{@event.LogType}' cannot be the first event of an execution.");
        return @event switch
        {
            StatusChanged changed => current with
            {
                Status = changed.Status,
                Attempt = changed.Attempt,
                Output = changed.Output ?? current.Output,
                Error = changed.Error ?? current.Error,
                StartedAt = current.StartedAt ?? (changed.Status == ExecutionStatus.Queued ? null : changed.At),
                CompletedAt = changed.Status.IsTerminal() ? changed.At : null,
                // A lapsed lease stays "expired" through the failure it causes: its holder never ended the
                // attempt, so a later fail with that lease is no repeat of an accepted one.
                AttemptEnd = !changed.Status.IsTerminal() ? current.AttemptEnd
                    : changed.Status == ExecutionStatus.Failed && current.AttemptEnd == AttemptEnd.Expired ? current.AttemptEnd
                    : AttemptEnds.Of(changed.Status),
                WaitingFor = changed.Status.IsTerminal() ? null : current.WaitingFor,
                CancelRequested = current.CancelRequested || changed.Status == ExecutionStatus.Cancelled,
                Reports = changed.Seq is { } seq ? current.Reports.Add(seq) : current.Reports,
                StatusSeq = changed.Seq ?? current.StatusSeq,
                UpdatedAt = changed.At,
            },
            ExecutionCancelled cancelled => current with
            {
                Status = ExecutionStatus.Cancelled, CancelRequested = true, CompletedAt = cancelled.At, UpdatedAt = cancelled.At,
                AttemptEnd = AttemptEnd.Cancelled, WaitingFor = null,
            },
            ExecutionClaimed claimed => current with
            {
                Status = ExecutionStatus.Running, Attempt = claimed.Attempt, WorkerId = claimed.WorkerId, LeaseId = claimed.LeaseId,
                LeaseExpiresAt = claimed.LeaseExpiresAt, AttemptEnd = null, StartedAt = current.StartedAt ?? claimed.At,
                Reports = SeqWindow.Empty, StatusSeq = null, UpdatedAt = claimed.At,
            },
            CostReported cost => current with
            {
                Cost = (current.Cost ?? 0) + cost.Cost, Reports = cost.Seq is { } costSeq ? current.Reports.Add(costSeq) : current.Reports,
                UpdatedAt = cost.At,
            },
            LeaseExtended extended => current with { LeaseExpiresAt = extended.LeaseExpiresAt, UpdatedAt = extended.At },
            RetryScheduled retry => current with
            {
                Status = ExecutionStatus.Queued, Error = retry.Error, AvailableAt = retry.AvailableAt,
                AttemptEnd = current.AttemptEnd ?? AttemptEnd.Retry, UpdatedAt = retry.At,
            },
            LeaseReleased released => current with
            {
                Status = ExecutionStatus.Queued, AvailableAt = released.At, AttemptEnd = AttemptEnd.Released, UpdatedAt = released.At,
            },
            LeaseExpired expired => current with { AttemptEnd = AttemptEnd.Expired, UpdatedAt = expired.At },
            ApprovalRequested requested => current with
            {
                Status = ExecutionStatus.Waiting, Approvals = [.. current.Approvals, requested.Approval],
                WaitingFor = new WaitingFor(WaitKind.Approval, requested.Approval.ToolCallId), AttemptEnd = AttemptEnd.Suspended, UpdatedAt = requested.At,
            },
            ApprovalDecided decided => current with
            {
                Approvals = current.Approvals.Select(a => a.ToolCallId == decided.ToolCallId
                    ? a with { Status = decided.Status, Reason = decided.Reason, DecidedAt = decided.At }
                    : a).ToArray(),
                WaitingFor = current.Approvals.FirstOrDefault(a => a.Status == ApprovalStatus.Pending && a.ToolCallId != decided.ToolCallId) is { } next
                    ? new WaitingFor(WaitKind.Approval, next.ToolCallId)
                    : current.WaitingFor,
                UpdatedAt = decided.At,
            },
            BatchWaitRequested wait => current with
            {
                Status = ExecutionStatus.Waiting, WaitingFor = new WaitingFor(WaitKind.Batch, wait.BatchId), AttemptEnd = AttemptEnd.Suspended, UpdatedAt = wait.At,
            },
            BatchResumed resumed => current with
            {
                Status = ExecutionStatus.Queued, AvailableAt = resumed.At, WaitingFor = null, BatchSummary = resumed.Batch, UpdatedAt = resumed.At,
            },
            ExecutionResumed resumed => current with
            {
                Status = ExecutionStatus.Queued, AvailableAt = resumed.At, WaitingFor = null, UpdatedAt = resumed.At,
            },
            ReportRecorded recorded => current with
            {
                Reports = recorded.Seq is { } seq ? current.Reports.Add(seq) : current.Reports,
                UpdatedAt = recorded.At,
            },
            OutputAppended appended => current with { UpdatedAt = appended.At },
            _ => throw new InvalidOperationException($"Unknown execution event '{@event.GetType().Name}'."),
        };
    }

    /// <summary>Folds events onto a state.</summary>
    public static ExecutionState? Fold(ExecutionState? state, IEnumerable<ExecutionEvent> events) =>
        events.Aggregate(state, (current, e) => e is ExecutionDeleted ? null : Evolve(current, e));

    /// <summary>
    /// Delete: only a terminal execution, and not a batch child (its batch counts it, so it goes
    /// with its batch). Deleting again finds nothing.
    /// </summary>
    public static Decision Delete(ExecutionState? state, DateTimeOffset now) =>
        state is null ? Decision.Reject(Rejection.NotFound("Execution"))
        : state.BatchId is not null ? Decision.Reject(new Rejection(ErrorCodes.IllegalTransition,
            $"Execution '{state.Id}' is a child of batch '{state.BatchId}'; it is deleted with its batch.", state.Status.ToWire()))
        : !state.Status.IsTerminal() ? Decision.Reject(new Rejection(ErrorCodes.NotTerminal,
            $"Execution '{state.Id}' is '{state.Status.ToWire()}'; only a terminal execution can be deleted.", state.Status.ToWire()))
        : Decision.Accept(new ExecutionDeleted(now));

    /// <summary>Retention timer: a terminal execution (not a batch child) kept for <paramref name="retention"/> since it last changed is deleted.</summary>
    public static Decision ExpireRetention(ExecutionState? state, TimeSpan? retention, DateTimeOffset now) =>
        state is { BatchId: null } && state.Status.IsTerminal() && retention is { } keep && state.UpdatedAt + keep <= now
            ? Decision.Accept(new ExecutionDeleted(now))
            : Decision.Unchanged;

    private static bool Supersedes(ExecutionState state, ExecutionStatus status, long? seq)
    {
        var (rank, currentRank) = (status.Rank(), state.Status.Rank());
        if (rank != currentRank)
        {
            return rank > currentRank;
        }
        // Equal rank (running vs waiting): only a report known to be newer applies. A newer report of
        // the current status applies too (it advances StatusSeq), or an older report of the other
        // status arriving after it would switch the execution back. Queued has no equal-rank sibling.
        return status != ExecutionStatus.Queued && seq is { } s && s > (state.StatusSeq ?? 0);
    }

    /// <summary>A write may omit the lease (an operator's override); one it presents must be the live lease.</summary>
    private static Rejection? LeaseGuard(ExecutionState state, string? leaseId, DateTimeOffset now) =>
        leaseId is null || state.HoldsLease(leaseId, now) ? null : LeaseLost(state, leaseId);

    private static Rejection LeaseLost(ExecutionState state, string leaseId) =>
        new(ErrorCodes.LeaseLost, $"Lease '{leaseId}' is not the live lease of execution '{state.Id}' (it expired, was superseded or released).",
            state.Status.ToWire());

    private static Decision TerminalState(ExecutionState state, string attempted) =>
        Decision.Reject(new Rejection(ErrorCodes.TerminalState,
            $"Execution '{state.Id}' is '{state.Status.ToWire()}' (terminal) and cannot become '{attempted}'.", state.Status.ToWire()));
}
