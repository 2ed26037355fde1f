using Levee.Executions;
using Levee.Grains.Executions;
using Xunit;
using static Levee.Executions.ExecutionStatus;
using static Levee.Grains.Tests.Executions.ExecutionScenarios;

namespace Levee.Grains.Tests.Executions;

/// <summary>Fire-and-forget reports: never rejected, merged monotonically, deduplicated by seq.</summary>
public sealed class ExecutionDeciderReportTests
{
    private static readonly DateTimeOffset Later = Now.AddMinutes(5);

    private static Decision Report(ExecutionState? state, ReportEvent report) => ExecutionDecider.Decide(state, report, Later);

    [Fact]
    public void Report_MissingState_Unchanged()
    {
        AssertUnchanged(Report(null, new ReportEvent { Status = Running, Seq = 1 }));
    }

    [Theory]
    [InlineData(Succeeded)]
    [InlineData(Failed)]
    [InlineData(Cancelled)]
    [InlineData(TimedOut)]
    public void Report_OnTerminal_Unchanged(ExecutionStatus terminal)
    {
        var state = InStatus(terminal);

        foreach (var status in AllStatuses)
        {
            AssertUnchanged(Report(state, new ReportEvent { Status = status, Seq = 7 }));
            AssertUnchanged(Report(state, new ReportEvent { Status = status }));
        }
        AssertUnchanged(Report(state, new ReportEvent { Type = "progress", Data = Json("1"), Seq = 8 }));
    }

    [Theory]
    [InlineData(Queued, 0)]
    [InlineData(Queued, 2)]
    [InlineData(Running, 2)]
    [InlineData(Waiting, 0)]
    public void Report_ForOtherAttempt_Unchanged(ExecutionStatus from, int attempt)
    {
        var state = InStatus(from);

        AssertUnchanged(Report(state, new ReportEvent { Status = Succeeded, Attempt = attempt, Seq = 9 }));
        AssertUnchanged(Report(state, new ReportEvent { Type = "progress", Attempt = attempt, Seq = 9 }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(long.MinValue)]
    public void Report_NonPositiveSeq_Unchanged(long seq)
    {
        AssertUnchanged(Report(Created(), new ReportEvent { Status = Running, Seq = seq }));
        AssertUnchanged(Report(Created(), new ReportEvent { Type = "progress", Seq = seq }));
    }

    [Fact]
    public void Report_AlreadySeenSeq_Unchanged()
    {
        var state = Created().Then(new ReportEvent { Status = Running, Seq = 1 }).Then(new ReportEvent { Type = "progress", Seq = 3 });

        AssertUnchanged(Report(state, new ReportEvent { Status = Succeeded, Seq = 1 }));
        AssertUnchanged(Report(state, new ReportEvent { Status = Failed, Seq = 3 }));
        AssertUnchanged(Report(state, new ReportEvent { Type = "progress", Seq = 3 }));
        Assert.Null(Report(state, new ReportEvent { Status = Succeeded, Seq = 2 }).Rejection);
        Assert.NotEmpty(Report(state, new ReportEvent { Status = Succeeded, Seq = 2 }).Events);
    }

    [Theory]
    [InlineData(Queued, Running)]
    [InlineData(Queued, Waiting)]
    [InlineData(Queued, Succeeded)]
    [InlineData(Queued, TimedOut)]
    [InlineData(Running, Succeeded)]
    [InlineData(Running, Failed)]
    [InlineData(Waiting, Succeeded)]
    [InlineData(Waiting, TimedOut)]
    public void Report_HigherRank_AppliesStatus(ExecutionStatus from, ExecutionStatus to)
    {
        var output = Json("""{"done":1}""");
        var error = new ExecutionError("late");

        var decision = Report(InStatus(from), new ReportEvent { Status = to, Seq = 5, Output = output, Error = error });

        Assert.Null(decision.Rejection);
        var changed = Assert.IsType<StatusChanged>(Assert.Single(decision.Events));
        Assert.Equal(new StatusChanged(Later, to, 1, 5, to == Succeeded ? output : null, error), changed);
        var state = ExecutionDecider.Fold(InStatus(from), decision.Events)!;
        Assert.Equal(to, state.Status);
        Assert.Equal(1, state.Attempt);
        Assert.NotNull(state.StartedAt);
        Assert.Equal(to.IsTerminal() ? Later : null, state.CompletedAt);
        Assert.True(state.Reports.Contains(5));
    }

    [Theory]
    [InlineData(Queued)]
    [InlineData(Running)]
    [InlineData(Waiting)]
    public void Report_Cancelled_CancelsWithinTheAttempt(ExecutionStatus from)
    {
        var decision = Report(InStatus(from), new ReportEvent { Status = Cancelled, Seq = 4 });

        Assert.Null(decision.Rejection);
        var @event = Assert.Single(decision.Events);
        Assert.Equal(ExecutionStatus.Cancelled.ToWire(), @event.LogType);
        var state = ExecutionDecider.Fold(InStatus(from), decision.Events)!;
        Assert.Equal(Cancelled, state.Status);
        Assert.Equal(1, state.Attempt);
        Assert.NotNull(state.StartedAt);
        Assert.Equal(Later, state.CompletedAt);
        Assert.True(state.CancelRequested);
    }

    [Theory]
    [InlineData(Running)]
    [InlineData(Waiting)]
    public void Report_LowerRank_NoStatusChange(ExecutionStatus from)
    {
        var state = InStatus(from);

        AssertUnchanged(Report(state, new ReportEvent { Status = Queued, Seq = 10 }));
        AssertUnchanged(Report(state, new ReportEvent { Status = Queued }));
        var recorded = Assert.IsType<ReportRecorded>(Assert.Single(Report(state, new ReportEvent { Status = Queued, Type = "requeue", Seq = 10 }).Events));
        Assert.Equal(new ReportRecorded(Later, "requeue", 1, 10), recorded);
    }

    [Fact]
    public void Report_EqualRankOtherStatusNewerSeq_Switches()
    {
        var waiting = Created().Then(new ReportEvent { Status = Running, Seq = 1 }).Then(new ReportEvent { Status = Waiting, Seq = 2 });
        Assert.Equal(Waiting, waiting.Status);

        var running = waiting.Then(new ReportEvent { Status = Running, Seq = 3 }, Later);

        Assert.Equal(Running, running.Status);
        Assert.Equal(3, running.StatusSeq);
    }

    [Fact]
    public void Report_EqualRankOtherStatusOlderSeq_Unchanged()
    {
        var running = Created().Then(new ReportEvent { Status = Running, Seq = 5 });

        AssertUnchanged(Report(running, new ReportEvent { Status = Waiting, Seq = 3 }));
    }

    [Fact]
    public void Report_EqualRankOtherStatusWithoutSeq_Unchanged()
    {
        AssertUnchanged(Report(InStatus(Running), new ReportEvent { Status = Waiting }));
        AssertUnchanged(Report(InStatus(Waiting), new ReportEvent { Status = Running }));
    }

    [Fact]
    public void Report_SameStatusNewerSeq_OutranksOlderReportsOfTheOtherStatus()
    {
        // Delivered 1, 3, 2 of the run running(1), waiting(2), running(3): the run ends running.
        var state = Created().Then(new ReportEvent { Status = Running, Seq = 1 });
        var confirm = Report(state, new ReportEvent { Status = Running, Seq = 3 });
        Assert.Equal(new StatusChanged(Later, Running, 1, 3), Assert.Single(confirm.Events));
        state = ExecutionDecider.Fold(state, confirm.Events)!;

        AssertUnchanged(Report(state, new ReportEvent { Status = Waiting, Seq = 2 }));
        Assert.Equal(Running, state.Status);
        Assert.Equal(3, state.StatusSeq);
    }

    [Fact]
    public void Report_SameStatusOlderOrWithoutSeq_Unchanged()
    {
        var running = Created().Then(new ReportEvent { Status = Running, Seq = 5 });

        AssertUnchanged(Report(running, new ReportEvent { Status = Running, Seq = 4 }));
        AssertUnchanged(Report(running, new ReportEvent { Status = Running }));
        AssertUnchanged(Report(Created(), new ReportEvent { Status = Queued }));
        AssertUnchanged(Report(Created(), new ReportEvent { Status = Queued, Seq = 2 }));
    }

    [Fact]
    public void Report_TypeAndData_RecordedAsReport()
    {
        var data = Json("""{"pct":40}""");

        var decision = Report(InStatus(Running), new ReportEvent { Type = "progress", Data = data, Seq = 2 });

        var recorded = Assert.IsType<ReportRecorded>(Assert.Single(decision.Events));
        Assert.Equal(new ReportRecorded(Later, "progress", 1, 2, data), recorded);
        Assert.Equal(ExecutionEventTypes.Report, recorded.LogType);
        var state = ExecutionDecider.Fold(InStatus(Running), decision.Events)!;
        Assert.Equal(Running, state.Status);
        Assert.True(state.Reports.Contains(2));
        Assert.Equal(Later, state.UpdatedAt);
    }

    [Fact]
    public void Report_DataWithoutType_RecordedWithDefaultType()
    {
        var decision = Report(Created(), new ReportEvent { Data = Json("3") });

        var recorded = Assert.IsType<ReportRecorded>(Assert.Single(decision.Events));
        Assert.Equal("report", recorded.Type);
        Assert.Null(recorded.Seq);
        Assert.Equal(Queued, ExecutionDecider.Fold(Created(), decision.Events)!.Status);
    }

    [Fact]
    public void Report_Empty_Unchanged()
    {
        AssertUnchanged(Report(InStatus(Running), new ReportEvent()));
        AssertUnchanged(Report(InStatus(Running), new ReportEvent { Seq = 3, At = Later }));
    }

    [Fact]
    public void Report_OutputOnNonSucceededStatus_Dropped()
    {
        var decision = Report(Created(), new ReportEvent { Status = Running, Seq = 1, Output = Json("1") });

        var changed = Assert.IsType<StatusChanged>(Assert.Single(decision.Events));
        Assert.Null(changed.Output);
    }

    [Fact]
    public void Report_WithoutAttempt_BelongsToCurrentAttempt()
    {
        var decision = Report(InStatus(Running), new ReportEvent { Status = Succeeded });

        var changed = Assert.IsType<StatusChanged>(Assert.Single(decision.Events));
        Assert.Equal(1, changed.Attempt);
        Assert.Null(changed.Seq);
    }
}
