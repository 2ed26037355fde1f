using System.Text.Json;
using Levee.Errors;
using Levee.Executions;
using Levee.Grains.Executions;
using Xunit;
using static Levee.Executions.ExecutionStatus;
using static Levee.Grains.Tests.Executions.ExecutionScenarios;

namespace Levee.Grains.Tests.Executions;

/// <summary>What a strict write is expected to do.</summary>
public enum WriteOutcome
{
    Applied,
    Unchanged,
    IllegalTransition,
    TerminalState,
}

/// <summary>Strict status writes, cancel, output appends, and the fold.</summary>
public sealed class ExecutionDeciderTests
{
    private static readonly DateTimeOffset Later = Now.AddMinutes(5);

    /// <summary>Every (from, to) pair of statuses, with the exact outcome of a strict write.</summary>
    public static TheoryData<ExecutionStatus, ExecutionStatus, WriteOutcome> StrictWriteMatrix => new()
    {
        { Queued, Queued, WriteOutcome.Unchanged },
        { Queued, Running, WriteOutcome.Applied },
        { Queued, Waiting, WriteOutcome.IllegalTransition },
        { Queued, Succeeded, WriteOutcome.Applied },
        { Queued, Failed, WriteOutcome.Applied },
        { Queued, Cancelled, WriteOutcome.Applied },
        { Queued, TimedOut, WriteOutcome.Applied },

        { Running, Queued, WriteOutcome.IllegalTransition },
        { Running, Running, WriteOutcome.Unchanged },
        { Running, Waiting, WriteOutcome.IllegalTransition },
        { Running, Succeeded, WriteOutcome.Applied },
        { Running, Failed, WriteOutcome.Applied },
        { Running, Cancelled, WriteOutcome.Applied },
        { Running, TimedOut, WriteOutcome.Applied },

        { Waiting, Queued, WriteOutcome.IllegalTransition },
        { Waiting, Running, WriteOutcome.IllegalTransition },
        { Waiting, Waiting, WriteOutcome.Unchanged },
        { Waiting, Succeeded, WriteOutcome.Applied },
        { Waiting, Failed, WriteOutcome.Applied },
        { Waiting, Cancelled, WriteOutcome.Applied },
        { Waiting, TimedOut, WriteOutcome.Applied },

        { Succeeded, Queued, WriteOutcome.TerminalState },
        { Succeeded, Running, WriteOutcome.TerminalState },
        { Succeeded, Waiting, WriteOutcome.TerminalState },
        { Succeeded, Succeeded, WriteOutcome.Unchanged },
        { Succeeded, Failed, WriteOutcome.TerminalState },
        { Succeeded, Cancelled, WriteOutcome.TerminalState },
        { Succeeded, TimedOut, WriteOutcome.TerminalState },

        { Failed, Queued, WriteOutcome.TerminalState },
        { Failed, Running, WriteOutcome.TerminalState },
        { Failed, Waiting, WriteOutcome.TerminalState },
        { Failed, Succeeded, WriteOutcome.TerminalState },
        { Failed, Failed, WriteOutcome.Unchanged },
        { Failed, Cancelled, WriteOutcome.TerminalState },
        { Failed, TimedOut, WriteOutcome.TerminalState },

        { Cancelled, Queued, WriteOutcome.TerminalState },
        { Cancelled, Running, WriteOutcome.TerminalState },
        { Cancelled, Waiting, WriteOutcome.TerminalState },
        { Cancelled, Succeeded, WriteOutcome.TerminalState },
        { Cancelled, Failed, WriteOutcome.TerminalState },
        { Cancelled, Cancelled, WriteOutcome.Unchanged },
        { Cancelled, TimedOut, WriteOutcome.TerminalState },

        { TimedOut, Queued, WriteOutcome.TerminalState },
        { TimedOut, Running, WriteOutcome.TerminalState },
        { TimedOut, Waiting, WriteOutcome.TerminalState },
        { TimedOut, Succeeded, WriteOutcome.TerminalState },
        { TimedOut, Failed, WriteOutcome.TerminalState },
        { TimedOut, Cancelled, WriteOutcome.TerminalState },
        { TimedOut, TimedOut, WriteOutcome.Unchanged },
    };

    [Fact]
    public void StrictWriteMatrix_CoversEveryStatusPair_Exactly()
    {
        var pairs = StrictWriteMatrix.Select(row => ((ExecutionStatus)row[0], (ExecutionStatus)row[1])).ToList();
        var all = AllStatuses.SelectMany(from => AllStatuses.Select(to => (from, to))).ToList();
        Assert.Equal(all.Count, pairs.Distinct().Count());
        Assert.Equal(all.ToHashSet(), pairs.ToHashSet());
    }

    [Theory]
    [MemberData(nameof(StrictWriteMatrix))]
    public void WriteStatus_FromEachStatusToEachStatus_HasExactOutcome(ExecutionStatus from, ExecutionStatus to, WriteOutcome expected)
    {
        var state = InStatus(from);
        Assert.Equal(from, state.Status);

        var decision = ExecutionDecider.Decide(state, new WriteStatus(to), Later);

        switch (expected)
        {
            case WriteOutcome.Unchanged:
                AssertUnchanged(decision);
                break;
            case WriteOutcome.IllegalTransition:
                AssertRejected(decision, ErrorCodes.IllegalTransition, from);
                break;
            case WriteOutcome.TerminalState:
                AssertRejected(decision, ErrorCodes.TerminalState, from);
                break;
            case WriteOutcome.Applied:
                Assert.Null(decision.Rejection);
                var @event = Assert.Single(decision.Events);
                if (to == Cancelled)
                {
                    Assert.Equal(new ExecutionCancelled(Later, null), @event);
                }
                else
                {
                    Assert.Equal(new StatusChanged(Later, to, 1), @event);
                }
                var next = ExecutionDecider.Fold(state, decision.Events)!;
                Assert.Equal(to, next.Status);
                Assert.Equal(Later, next.UpdatedAt);
                Assert.Equal(to.IsTerminal() ? Later : null, next.CompletedAt);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(expected), expected, null);
        }
    }

    [Fact]
    public void WriteStatus_MissingState_NotFound()
    {
        AssertRejected(ExecutionDecider.Decide(null, new WriteStatus(Running), Now), ErrorCodes.NotFound, null);
    }

    [Theory]
    [InlineData(Queued, Queued)]
    [InlineData(Queued, Running)]
    [InlineData(Running, Running)]
    [InlineData(Running, Succeeded)]
    [InlineData(Waiting, Failed)]
    [InlineData(Waiting, Cancelled)]
    [InlineData(Running, Queued)]
    public void WriteStatus_WithLeaseWhileNoLeaseExists_LeaseLost(ExecutionStatus from, ExecutionStatus to)
    {
        var decision = ExecutionDecider.Decide(InStatus(from), new WriteStatus(to, LeaseId: "lease-1"), Later);

        AssertRejected(decision, ErrorCodes.LeaseLost, from);
        Assert.Contains("lease-1", decision.Rejection!.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Succeeded, Succeeded)]
    [InlineData(Failed, Failed)]
    [InlineData(Cancelled, Cancelled)]
    [InlineData(TimedOut, TimedOut)]
    public void WriteStatus_SameTerminalWithLease_Unchanged(ExecutionStatus terminal, ExecutionStatus to)
    {
        AssertUnchanged(ExecutionDecider.Decide(InStatus(terminal), new WriteStatus(to, LeaseId: "lease-1"), Later));
    }

    [Theory]
    [InlineData(Succeeded, Running)]
    [InlineData(Failed, Succeeded)]
    [InlineData(Cancelled, Queued)]
    [InlineData(TimedOut, Failed)]
    public void WriteStatus_OtherStatusWithLeaseOnTerminal_TerminalState(ExecutionStatus terminal, ExecutionStatus to)
    {
        AssertRejected(ExecutionDecider.Decide(InStatus(terminal), new WriteStatus(to, LeaseId: "lease-1"), Later), ErrorCodes.TerminalState, terminal);
    }

    [Fact]
    public void WriteStatus_SucceededWithOutput_RecordsOutput()
    {
        var output = Json("""{"sent":3}""");

        var state = InStatus(Running).Then(new WriteStatus(Succeeded, Output: output), Later);

        Assert.Equal(output.GetRawText(), state.Output?.GetRawText());
        Assert.Null(state.Error);
        Assert.Equal(1, state.Attempt);
    }

    [Fact]
    public void WriteStatus_FailedWithOutputAndError_RecordsErrorButNotOutput()
    {
        var error = new ExecutionError("smtp down", "SmtpException", Retryable: false);

        var decision = ExecutionDecider.Decide(InStatus(Running), new WriteStatus(Failed, Output: Json("1"), Error: error), Later);

        var changed = Assert.IsType<StatusChanged>(Assert.Single(decision.Events));
        Assert.Null(changed.Output);
        Assert.Equal(error, changed.Error);
        Assert.Equal(ExecutionStatus.Failed.ToWire(), changed.LogType);
    }

    [Fact]
    public void WriteStatus_RunningFromQueued_StartsAttemptOne()
    {
        var state = Created().Then(new WriteStatus(Running), Later);

        Assert.Equal(1, state.Attempt);
        Assert.Equal(Later, state.StartedAt);
        Assert.Null(state.CompletedAt);
    }

    [Fact]
    public void WriteStatus_TerminalAfterRunning_KeepsStartedAtAndSetsCompletedAt()
    {
        var running = InStatus(Running);

        var done = running.Then(new WriteStatus(TimedOut), Later);

        Assert.Equal(running.StartedAt, done.StartedAt);
        Assert.Equal(Later, done.CompletedAt);
    }

    [Fact]
    public void Cancel_MissingState_NotFound()
    {
        AssertRejected(ExecutionDecider.Decide(null, new CancelExecution(), Now), ErrorCodes.NotFound, null);
    }

    [Theory]
    [InlineData(Queued)]
    [InlineData(Running)]
    [InlineData(Waiting)]
    public void Cancel_NonTerminal_Cancels(ExecutionStatus from)
    {
        var decision = ExecutionDecider.Decide(InStatus(from), new CancelExecution("no longer needed"), Later);

        Assert.Null(decision.Rejection);
        Assert.Equal(new ExecutionCancelled(Later, "no longer needed"), Assert.Single(decision.Events));
        var state = ExecutionDecider.Fold(InStatus(from), decision.Events)!;
        Assert.Equal(Cancelled, state.Status);
        Assert.True(state.CancelRequested);
        Assert.Equal(Later, state.CompletedAt);
    }

    [Fact]
    public void Cancel_AlreadyCancelled_Unchanged()
    {
        AssertUnchanged(ExecutionDecider.Decide(InStatus(Cancelled), new CancelExecution("again"), Later));
    }

    [Theory]
    [InlineData(Succeeded)]
    [InlineData(Failed)]
    [InlineData(TimedOut)]
    public void Cancel_OtherTerminal_TerminalState(ExecutionStatus terminal)
    {
        AssertRejected(ExecutionDecider.Decide(InStatus(terminal), new CancelExecution(), Later), ErrorCodes.TerminalState, terminal);
    }

    [Fact]
    public void AppendOutput_MissingState_NotFound()
    {
        AssertRejected(ExecutionDecider.Decide(null, new AppendOutput([Json("1")]), Now), ErrorCodes.NotFound, null);
    }

    [Theory]
    [InlineData(Queued)]
    [InlineData(Running)]
    [InlineData(Waiting)]
    public void AppendOutput_NonTerminal_OneOutputEventPerChunkInOrder(ExecutionStatus from)
    {
        List<JsonElement> chunks = [Json("\"a\""), Json("\"b\""), Json("""{"progress":0.5}""")];

        var decision = ExecutionDecider.Decide(InStatus(from), new AppendOutput(chunks), Later);

        Assert.Null(decision.Rejection);
        Assert.Equal(chunks.Count, decision.Events.Count);
        Assert.All(decision.Events, e => Assert.Equal(ExecutionEventTypes.Output, e.LogType));
        Assert.Equal(
            chunks.Select(c => c.GetRawText()),
            decision.Events.Cast<OutputAppended>().Select(e => e.Chunk.GetRawText()));
        var state = ExecutionDecider.Fold(InStatus(from), decision.Events)!;
        Assert.Equal(from, state.Status);
        Assert.Equal(Later, state.UpdatedAt);
    }

    [Theory]
    [InlineData(Queued)]
    [InlineData(Running)]
    [InlineData(Waiting)]
    public void AppendOutput_EmptyChunks_ValidationFailed(ExecutionStatus from)
    {
        var decision = ExecutionDecider.Decide(InStatus(from), new AppendOutput([]), Later);

        AssertRejected(decision, ErrorCodes.ValidationFailed, null);
        Assert.Equal("chunks", decision.Rejection!.Field);
    }

    [Theory]
    [InlineData(Succeeded)]
    [InlineData(Failed)]
    [InlineData(Cancelled)]
    [InlineData(TimedOut)]
    public void AppendOutput_Terminal_TerminalState(ExecutionStatus terminal)
    {
        AssertRejected(ExecutionDecider.Decide(InStatus(terminal), new AppendOutput([Json("1")]), Later), ErrorCodes.TerminalState, terminal);
        AssertRejected(ExecutionDecider.Decide(InStatus(terminal), new AppendOutput([]), Later), ErrorCodes.TerminalState, terminal);
    }

    [Theory]
    [InlineData(Queued)]
    [InlineData(Running)]
    [InlineData(Waiting)]
    public void AppendOutput_WithLeaseWhileNoLeaseExists_LeaseLost(ExecutionStatus from)
    {
        AssertRejected(ExecutionDecider.Decide(InStatus(from), new AppendOutput([Json("1")], "lease-1"), Later), ErrorCodes.LeaseLost, from);
    }

    [Fact]
    public void Evolve_NonCreatedFirstEvent_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => ExecutionDecider.Evolve(null, new StatusChanged(Now, Running, 1)));
    }

    [Fact]
    public void Fold_NoEvents_ReturnsStateUnchanged()
    {
        var state = InStatus(Waiting);

        Assert.Same(state, ExecutionDecider.Fold(state, []));
        Assert.Null(ExecutionDecider.Fold(null, []));
    }
}
