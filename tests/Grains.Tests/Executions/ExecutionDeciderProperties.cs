using FsCheck;
using FsCheck.Fluent;
using Levee.Errors;
using Levee.Executions;
using Levee.Grains.Executions;
using Xunit;
using static Levee.Grains.Tests.Executions.ExecutionGenerators;
using static Levee.Grains.Tests.Executions.ExecutionScenarios;

namespace Levee.Grains.Tests.Executions;

/// <summary>Properties of the decider over generated command sequences.</summary>
public sealed class ExecutionDeciderProperties
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(500);

    private static ExecutionState Deliver(ExecutionState initial, IEnumerable<ReportEvent> reports) =>
        reports.Aggregate(initial, (state, report) =>
        {
            var decision = ExecutionDecider.Decide(state, report, Now);
            Assert.Null(decision.Rejection);
            return ExecutionDecider.Fold(state, decision.Events)!;
        });

    [Fact]
    public void Reports_AnyPermutationWithDuplicates_EndInTheSameViewAsInOrder()
    {
        var runs =
            from run in WorkerRun
            from delivery in Delivery(run)
            select (run, delivery);

        Check.One(Config, Prop.ForAll(runs.ToArbitrary(), ((ReportEvent[] Run, ReportEvent[] Delivery) x) =>
        {
            var initial = Created();

            var inOrder = Deliver(initial, x.Run).ToView(0, 0);
            var delivered = Deliver(initial, x.Delivery).ToView(0, 0);

            Assert.Equal(inOrder, delivered);
        }));
    }

    [Fact]
    public void Terminal_AnyFurtherCommands_NeverChangeIt()
    {
        var scenarios =
            from start in Gen.Elements(ExecutionStatus.Queued, ExecutionStatus.Running, ExecutionStatus.Waiting)
            from terminating in Terminating
            from commands in Gen.ListOf(Commands).Resize(25)
            select (start, terminating, commands: commands.ToArray());

        Check.One(Config, Prop.ForAll(scenarios.ToArbitrary(), ((ExecutionStatus Start, object Terminating, object[] Commands) x) =>
        {
            var terminal = InStatus(x.Start).Then(x.Terminating, Now.AddSeconds(10));
            Assert.True(terminal.Status.IsTerminal());
            var state = terminal;

            for (var i = 0; i < x.Commands.Length; i++)
            {
                var command = x.Commands[i];
                var decision = Decide(state, command, Now.AddMinutes(i + 1));
                Assert.Empty(decision.Events);
                Assert.Equal(ExpectedOnTerminal(terminal.Status, command), decision.Rejection?.Code);
                if (decision.Rejection is { } rejection && rejection.Code != ErrorCodes.ValidationFailed)
                {
                    Assert.Equal(terminal.Status.ToWire(), rejection.CurrentStatus);
                }
                state = Levee.Grains.Tests.Serialization.StoredRoundTrip.Stored(ExecutionDecider.Fold(state, decision.Events))!;
            }

            Assert.Equal(terminal, state);
            Assert.Equal(
                (terminal.Status, terminal.Output?.GetRawText(), terminal.Error, terminal.CompletedAt),
                (state.Status, state.Output?.GetRawText(), state.Error, state.CompletedAt));
        }));
    }

    [Fact]
    public void Reports_WithoutSeq_NeverLowerTheStatusRank()
    {
        AssertRankNeverDecreases(Reports(Gen.Constant<long?>(null)));
    }

    [Fact]
    public void Reports_WithAnySeq_NeverLowerTheStatusRank()
    {
        AssertRankNeverDecreases(Reports(AnySeq));
    }

    [Fact]
    public void Decide_SameInputsTwice_SameDecision()
    {
        var scenarios =
            from fresh in Gen.Elements(true, false, false, false)
            from history in Gen.ListOf(Commands).Resize(15)
            from command in Commands
            select (fresh, history: history.ToArray(), command);

        Check.One(Config, Prop.ForAll(scenarios.ToArbitrary(), ((bool Fresh, object[] History, object Command) x) =>
        {
            var state = x.Fresh ? null : x.History.Aggregate((ExecutionState?)Created(), (s, c) => s.Step(c, Now));

            var first = Decide(state, x.Command, Now);
            var second = Decide(state, x.Command, Now);

            Assert.Equal(first.Rejection, second.Rejection);
            Assert.Equal(first.Events, second.Events);
            Assert.Equal(ExecutionDecider.Fold(state, first.Events), ExecutionDecider.Fold(state, second.Events));
        }));
    }

    private static void AssertRankNeverDecreases(Gen<ReportEvent> report)
    {
        var scenarios =
            from start in Gen.Elements(ExecutionStatus.Queued, ExecutionStatus.Running, ExecutionStatus.Waiting)
            from reports in Gen.ListOf(report).Resize(30)
            select (start, reports: reports.ToArray());

        Check.One(Config, Prop.ForAll(scenarios.ToArbitrary(), ((ExecutionStatus Start, ReportEvent[] Reports) x) =>
        {
            var state = InStatus(x.Start);
            foreach (var r in x.Reports)
            {
                var decision = ExecutionDecider.Decide(state, r, Now);
                Assert.Null(decision.Rejection);
                var next = ExecutionDecider.Fold(state, decision.Events)!;
                Assert.True(next.Status.Rank() >= state.Status.Rank(), $"{state.Status} -> {next.Status} on {r}");
                state = next;
            }
        }));
    }

    /// <summary>The rejection code a command must get on a terminal execution (null = no-op).</summary>
    private static string? ExpectedOnTerminal(ExecutionStatus terminal, object command) => command switch
    {
        WriteStatus write => write.Status == terminal ? null : ErrorCodes.TerminalState,
        CancelExecution => terminal == ExecutionStatus.Cancelled ? null : ErrorCodes.TerminalState,
        AppendOutput => ErrorCodes.TerminalState,
        ReportEvent => null,
        CreateExecution create when ReferenceEquals(create, SameCreate) => null,
        CreateExecution create when ReferenceEquals(create, OtherCreate) => ErrorCodes.AlreadyExists,
        CreateExecution => ErrorCodes.ValidationFailed,
        _ => throw new ArgumentException($"Unknown command {command}.", nameof(command)),
    };
}
