using Levee.Errors;
using Levee.Executions;
using Levee.Grains.Executions;
using static Levee.Grains.Tests.Executions.ExecutionScenarios;

namespace Levee.Grains.Tests.Executions;

/// <summary>Deleting an execution: only a terminal one that is not a batch child; the retention timer does the same once it has passed.</summary>
public sealed class ExecutionDeleteTests
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    public static TheoryData<ExecutionStatus> NotTerminal => [.. AllStatuses.Where(s => !s.IsTerminal())];

    public static TheoryData<ExecutionStatus> Terminal => [.. TerminalStatuses];

    [Theory]
    [MemberData(nameof(NotTerminal))]
    public void Delete_NotTerminal_IsNotTerminalWithItsStatus(ExecutionStatus status)
    {
        var decision = ExecutionDecider.Delete(InStatus(status), Now.AddMinutes(1));

        Assert.Equal((ErrorCodes.NotTerminal, status.ToWire()), (decision.Rejection?.Code, decision.Rejection?.CurrentStatus));
        Assert.Empty(decision.Events);
    }

    [Theory]
    [MemberData(nameof(Terminal))]
    public void Delete_Terminal_FoldsToNothing_AndItsTimersGo(ExecutionStatus status)
    {
        var decision = ExecutionDecider.Delete(InStatus(status), Now.AddMinutes(1));

        Assert.IsType<ExecutionDeleted>(Assert.Single(decision.Events));
        Assert.False(decision.Events[0].IsVisible);
        Assert.Null(ExecutionDecider.Fold(InStatus(status), decision.Events));
        Assert.Equal(ErrorCodes.NotFound, ExecutionDecider.Delete(null, Now).Rejection?.Code);
    }

    [Fact]
    public void Delete_BatchChild_IsIllegal_ItGoesWithItsBatch()
    {
        var child = ((ExecutionState?)null).Then(NewCreate("bat_x.0") with { BatchId = "bat_x", BatchIndex = 0 })
            .Then(new CancelExecution("stop"), Now.AddSeconds(1));

        Assert.Equal(ErrorCodes.IllegalTransition, ExecutionDecider.Delete(child, Now.AddSeconds(2)).Rejection?.Code);
        Assert.Empty(ExecutionTimers.Desired(child, Retention));
        Assert.Empty(ExecutionDecider.ExpireRetention(child, Retention, Now.AddYears(1)).Events);
    }

    [Theory]
    [MemberData(nameof(Terminal))]
    public void ExpireRetention_OnlyOnceItHasPassedSinceTheLastChange(ExecutionStatus status)
    {
        var done = InStatus(status);

        Assert.Equal(done.UpdatedAt + Retention, ExecutionTimers.Desired(done, Retention)[ExecutionTimers.RetentionTimer]);
        Assert.Empty(ExecutionDecider.ExpireRetention(done, Retention, done.UpdatedAt + Retention - TimeSpan.FromMilliseconds(1)).Events);
        Assert.Empty(ExecutionDecider.ExpireRetention(done, null, done.UpdatedAt + Retention).Events);
        Assert.IsType<ExecutionDeleted>(Assert.Single(ExecutionDecider.ExpireRetention(done, Retention, done.UpdatedAt + Retention).Events));
    }

    [Theory]
    [MemberData(nameof(NotTerminal))]
    public void ExpireRetention_NotTerminal_NeverDeletes(ExecutionStatus status)
    {
        Assert.Empty(ExecutionDecider.ExpireRetention(InStatus(status), Retention, Now.AddYears(1)).Events);
        Assert.False(ExecutionTimers.Desired(InStatus(status), Retention).ContainsKey(ExecutionTimers.RetentionTimer));
    }
}
