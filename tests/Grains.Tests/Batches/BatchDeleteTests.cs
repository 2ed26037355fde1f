using Levee.Batches;
using Levee.Errors;
using Levee.Grains.Batches;
using static Levee.Grains.Tests.Batches.BatchScenarios;

namespace Levee.Grains.Tests.Batches;

/// <summary>Deleting a batch: only when terminal; then gone for every caller while its children are removed a page at a time, across any number of deliveries.</summary>
public sealed class BatchDeleteTests
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    public static TheoryData<BatchStatus> Live => [BatchStatus.Pending, BatchStatus.Processing];

    public static TheoryData<BatchStatus> Terminal => [BatchStatus.Completed, BatchStatus.PartialFailed, BatchStatus.Failed, BatchStatus.Aborted];

    [Theory]
    [MemberData(nameof(Live))]
    public void Delete_NotTerminal_IsNotTerminalWithItsStatus(BatchStatus status) =>
        AssertRejected(BatchDecider.Delete(InStatus(status), Now), ErrorCodes.NotTerminal, status);

    [Fact]
    public void Delete_Missing_IsNotFound() => AssertRejected(BatchDecider.Delete(null, Now), ErrorCodes.NotFound, null);

    [Theory]
    [MemberData(nameof(Terminal))]
    public void Delete_Terminal_MarksItDeleting_ThenASecondDeleteFindsNothing(BatchStatus status)
    {
        var deleting = InStatus(status).Then(BatchDecider.Delete(InStatus(status), Now.AddMinutes(1)));

        Assert.Equal(Now.AddMinutes(1), deleting.DeletingAt);
        Assert.Equal(status, deleting.Status);
        AssertRejected(BatchDecider.Delete(deleting, Now.AddMinutes(2)), ErrorCodes.NotFound, null);
        Assert.Equal(new Dictionary<string, DateTimeOffset> { [BatchTimers.PurgeTimer] = Now.AddMinutes(1) }, BatchTimers.Desired(deleting, Retention));
    }

    [Fact]
    public void PurgePage_RemovesPagesUntilNoneIsLeft_ThenTheBatchFoldsToNothing_AndEachPageMovesThePurgeTimer()
    {
        var state = (BatchState?)InStatus(BatchStatus.Aborted).Then(BatchDecider.Delete(InStatus(BatchStatus.Aborted), Now));
        var dues = new List<DateTimeOffset>();
        foreach (var page in new[] { new[] { 0, 1 }, [2] })
        {
            var decision = BatchDecider.PurgePage(state, page, Now.AddSeconds(1));
            Assert.Equal(page, Assert.IsType<BatchChildrenPurged>(Assert.Single(decision.Events)).Indexes);
            state = state.Then(decision);
            dues.Add(BatchTimers.Desired(state)[BatchTimers.PurgeTimer]);
        }
        var last = BatchDecider.PurgePage(state, [], Now.AddSeconds(2));

        Assert.IsType<BatchDeleted>(Assert.Single(last.Events));
        Assert.Null(BatchDecider.Fold(state, last.Events));
        Assert.Equal(2, dues.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Terminal))]
    public void PurgePage_OnABatchNotBeingDeleted_ChangesNothing(BatchStatus status) =>
        AssertUnchanged(BatchDecider.PurgePage(InStatus(status), [0], Now));

    [Fact]
    public void ExpireRetention_DeletesATerminalBatchOnlyOnceItsRetentionHasPassed()
    {
        var done = InStatus(BatchStatus.Completed);

        AssertUnchanged(BatchDecider.ExpireRetention(done, Retention, done.UpdatedAt + Retention - TimeSpan.FromMilliseconds(1)));
        AssertUnchanged(BatchDecider.ExpireRetention(done, null, done.UpdatedAt + Retention));
        AssertUnchanged(BatchDecider.ExpireRetention(InStatus(BatchStatus.Processing), Retention, Now.AddYears(1)));
        Assert.IsType<BatchDeleteRequested>(Assert.Single(BatchDecider.ExpireRetention(done, Retention, done.UpdatedAt + Retention).Events));
        Assert.Equal(done.UpdatedAt + Retention, BatchTimers.Desired(done, Retention)[BatchTimers.RetentionTimer]);
        Assert.False(BatchTimers.Desired(InStatus(BatchStatus.Processing), Retention).ContainsKey(BatchTimers.RetentionTimer));
    }
}
