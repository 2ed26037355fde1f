using Levee.Grains.Batches;
using Levee.Grains.Storage;
using static Levee.Grains.Tests.Batches.BatchScenarios;

namespace Levee.Grains.Tests.Batches;

public sealed class BatchTimersTests
{
    [Fact]
    public void Diff_Create_SetsTheSealTimerAtTheSealDeadline()
    {
        var created = Created();

        Assert.Equal([new TimerChange(BatchTimers.SealTimer, created.SealDeadline)], BatchTimers.Diff(null, created));
    }

    [Fact]
    public void Diff_ChunkThatDoesNotSeal_ChangesNoTimer()
    {
        var before = Created();

        Assert.Empty(BatchTimers.Diff(before, before.Accept(0)));
    }

    [Fact]
    public void Diff_Seal_ClearsTheSealTimer()
    {
        var before = Created(2).Accept(0);

        Assert.Equal([new TimerChange(BatchTimers.SealTimer, null)], BatchTimers.Diff(before, before.Accept(1)));
    }

    [Fact]
    public void Diff_CancelOfAPendingBatch_ClearsTheSealTimer()
    {
        var before = Created();
        var aborted = before.Then(BatchDecider.Decide(before, new Levee.Batches.CancelBatch(), Now));

        Assert.Equal([new TimerChange(BatchTimers.SealTimer, null)], BatchTimers.Diff(before, aborted));
    }

    [Fact]
    public void Desired_SealedOrTerminal_IsEmpty()
    {
        Assert.Empty(BatchTimers.Desired(Created(1).Accept(0)));
        Assert.Empty(BatchTimers.Desired(null));
    }
}
