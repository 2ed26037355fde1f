using Levee.Silo.Timers;

namespace Levee.Silo.Tests.Timers;

public sealed class DueTimeTests
{
    private static readonly DateTimeOffset Whole = new(2026, 11, 21, 12, 0, 0, 300, TimeSpan.Zero);

    [Theory]
    [InlineData(0, 0)]      // exactly on a millisecond: unchanged
    [InlineData(1, 1)]      // one tick past: the next millisecond
    [InlineData(5_000, 1)]  // half a millisecond past
    [InlineData(9_999, 1)]  // just before the next millisecond
    public void ToStored_SubMillisecondDue_RoundsUpSoNobodyActsBeforeIt(long extraTicks, long expectedExtraMs)
    {
        var due = Whole.AddTicks(extraTicks);
        var stored = DueTime.ToStored(due);

        Assert.Equal(Whole.ToUnixTimeMilliseconds() + expectedExtraMs, stored);
        // A poller that sees the row as due (now in ms >= stored) is never before the exact due time.
        Assert.True(DateTimeOffset.FromUnixTimeMilliseconds(stored) >= due);
    }
}
