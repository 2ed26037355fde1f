using System.Text.Json;
using Levee.Executions;
using Levee.Grains.Executions;
using Levee.Grains.Storage;
using Levee.Grains.Tests.Serialization;
using Xunit;

namespace Levee.Grains.Tests.Executions;

/// <summary>The lease timer fell due (the grain passes the state's lease; tests may pass any).</summary>
internal sealed record ExpireLeaseTimer(string LeaseId, double Jitter = ExecutionScenarios.Jitter);

/// <summary>The deadline timer fell due.</summary>
internal sealed record ExpireDeadlineTimer;

/// <summary>The timer of approval <paramref name="ToolCallId"/> fell due.</summary>
internal sealed record ExpireApprovalTimer(string ToolCallId);

/// <summary>
/// Builds execution states the way production does: by deciding real commands and folding the
/// events they produce. No state here is constructed by hand.
/// </summary>
internal static class ExecutionScenarios
{
    public static readonly DateTimeOffset Now = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>When <see cref="Claimed"/> claims: one second after creation.</summary>
    public static readonly DateTimeOffset ClaimedAt = Now.AddSeconds(1);

    /// <summary>The lease <see cref="Claimed"/> hands out.</summary>
    public const string FirstLease = "lease-1";

    /// <summary>The jitter the dispatcher passes to fails and lease timers.</summary>
    public const double Jitter = 0.5;

    public static IReadOnlyList<ExecutionStatus> AllStatuses { get; } = Enum.GetValues<ExecutionStatus>();

    public static IReadOnlyList<ExecutionStatus> TerminalStatuses { get; } =
        [ExecutionStatus.Succeeded, ExecutionStatus.Failed, ExecutionStatus.Cancelled, ExecutionStatus.TimedOut];

    public static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static CreateExecution NewCreate(string id = "exec-1") => new()
    {
        Id = id, Task = "send-email", Queue = "mail", Input = Json("""{"to":"a@example.com"}"""),
    };

    /// <summary>Dispatches to the matching <see cref="ExecutionDecider"/> overload.</summary>
    public static Decision Decide(ExecutionState? state, object command, DateTimeOffset now) => command switch
    {
        CreateExecution create => ExecutionDecider.Decide(state, create, now),
        WriteStatus write => ExecutionDecider.Decide(state, write, now),
        ReportEvent report => ExecutionDecider.Decide(state, report, now),
        AppendOutput append => ExecutionDecider.Decide(state, append, now),
        CancelExecution cancel => ExecutionDecider.Decide(state, cancel, now),
        ClaimExecution claim => ExecutionDecider.Decide(state, claim, now),
        Heartbeat heartbeat => ExecutionDecider.Decide(state, heartbeat, now),
        CompleteExecution complete => ExecutionDecider.Decide(state, complete, now),
        FailExecution fail => ExecutionDecider.Decide(state, fail, now, Jitter),
        ReleaseExecution release => ExecutionDecider.Decide(state, release, now),
        RequestApproval request => ExecutionDecider.Decide(state, request, now),
        DecideApproval decide => ExecutionDecider.Decide(state, decide, now),
        ExpireLeaseTimer timer => ExecutionDecider.ExpireLease(state, timer.LeaseId, now, timer.Jitter),
        ExpireDeadlineTimer => ExecutionDecider.ExpireDeadline(state, now),
        ExpireApprovalTimer timer => ExecutionDecider.ExpireApproval(state, timer.ToolCallId, now),
        _ => throw new ArgumentException($"Unknown command '{command.GetType().Name}'.", nameof(command)),
    };

    /// <summary>Decides the command and folds its events; the command must be accepted and change something.</summary>
    public static ExecutionState Then(this ExecutionState? state, object command, DateTimeOffset? at = null)
    {
        var decision = Decide(state, command, at ?? Now);
        Assert.Null(decision.Rejection);
        Assert.NotEmpty(decision.Events);
        return StoredRoundTrip.Stored(ExecutionDecider.Fold(state, decision.Events))!;
    }

    /// <summary>Decides the command and folds whatever it produced (possibly nothing).</summary>
    public static ExecutionState? Step(this ExecutionState? state, object command, DateTimeOffset now) =>
        StoredRoundTrip.Stored(ExecutionDecider.Fold(state, Decide(state, command, now).Events));

    public static ExecutionState Created() => ((ExecutionState?)null).Then(NewCreate());

    /// <summary>A state in <paramref name="status"/>: created, started (unless queued), then moved on.</summary>
    public static ExecutionState InStatus(ExecutionStatus status)
    {
        var queued = Created();
        if (status == ExecutionStatus.Queued)
        {
            return queued;
        }
        var running = queued.Then(new WriteStatus(ExecutionStatus.Running), Now.AddSeconds(1));
        var later = Now.AddSeconds(2);
        return status switch
        {
            ExecutionStatus.Running => running,
            // waiting is not a strict-write target: workers report it.
            ExecutionStatus.Waiting => running.Then(new ReportEvent { Status = ExecutionStatus.Waiting, Seq = 1 }, later),
            ExecutionStatus.Succeeded => running.Then(new WriteStatus(ExecutionStatus.Succeeded, Output: Json("""{"ok":true}""")), later),
            ExecutionStatus.Failed => running.Then(new WriteStatus(ExecutionStatus.Failed, Error: new ExecutionError("boom", "IOException")), later),
            ExecutionStatus.Cancelled => running.Then(new CancelExecution("user"), later),
            ExecutionStatus.TimedOut => running.Then(new WriteStatus(ExecutionStatus.TimedOut), later),
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
        };
    }

    /// <summary>Created from <paramref name="create"/> at <see cref="Now"/>, then claimed at <see cref="ClaimedAt"/> under <paramref name="lease"/>.</summary>
    public static ExecutionState Claimed(CreateExecution? create = null, string lease = FirstLease, string worker = "worker-1") =>
        ((ExecutionState?)null).Then(create ?? NewCreate()).Then(new ClaimExecution(worker, lease), ClaimedAt);

    /// <summary><see cref="Claimed"/>, then suspended on approval <paramref name="toolCallId"/> one second later.</summary>
    public static ExecutionState Suspended(string toolCallId = "call-1", long? timeoutMs = null, CreateExecution? create = null) =>
        Claimed(create).Then(new RequestApproval(FirstLease, toolCallId, "refund", Json("""{"amount":10}"""), timeoutMs), ClaimedAt.AddSeconds(1));

    /// <summary>What the timer store does with a diff: sets or clears each timer by name (clearing one that is not set is a bug).</summary>
    public static Dictionary<string, DateTimeOffset> ApplyTimerChanges(IReadOnlyDictionary<string, DateTimeOffset> timers, IEnumerable<TimerChange> changes)
    {
        var result = new Dictionary<string, DateTimeOffset>(timers, StringComparer.Ordinal);
        foreach (var change in changes)
        {
            if (change.DueAt is { } due)
            {
                result[change.Name] = due;
            }
            else
            {
                Assert.True(result.Remove(change.Name), $"Cleared timer '{change.Name}', which was not set.");
            }
        }
        return result;
    }

    public static void AssertUnchanged(Decision decision)
    {
        Assert.Null(decision.Rejection);
        Assert.Empty(decision.Events);
    }

    public static void AssertRejected(Decision decision, string code, ExecutionStatus? current)
    {
        Assert.NotNull(decision.Rejection);
        Assert.Equal(code, decision.Rejection.Code);
        Assert.Equal(current?.ToWire(), decision.Rejection.CurrentStatus);
        Assert.Empty(decision.Events);
    }
}
