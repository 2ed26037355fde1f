using Levee.Grains.Queues;
using Xunit;

namespace Levee.Grains.Tests.Queues;

/// <summary>The cap's bookkeeping: reservations, releases, and index reads that may be older than the claims that finished meanwhile.</summary>
public sealed class ConcurrencySlotsTests
{
    [Fact]
    public async Task Reserve_UpToTheCap_CountingLeasesAndClaimsInFlight()
    {
        var slots = new ConcurrencySlots();
        slots.Learn("b", 3);
        Assert.Equal(2, await slots.RefreshAsync("b", _ => Task.FromResult(1)));

        Assert.True(slots.TryReserve("b"));
        Assert.True(slots.TryReserve("b"));
        Assert.False(slots.TryReserve("b"));
        slots.Release("b", claimed: false);
        Assert.True(slots.TryReserve("b"));
    }

    [Fact]
    public void NoBatch_OrABatchNotCapped_AlwaysReserves()
    {
        var slots = new ConcurrencySlots();

        Assert.True(slots.TryReserve(null));
        Assert.True(slots.TryReserve("not-capped"));
    }

    [Fact]
    public async Task AClaimThatFinishesDuringARead_IsCountedEvenIfTheReadMissedIt()
    {
        var slots = new ConcurrencySlots();
        slots.Learn("b", 2);
        await slots.RefreshAsync("b", _ => Task.FromResult(0));
        Assert.True(slots.TryReserve("b"));

        // The read starts, the claim commits and is released, the read returns without it.
        var free = await slots.RefreshAsync("b", _ =>
        {
            slots.Release("b", claimed: true);
            return Task.FromResult(0);
        });

        Assert.Equal(1, free);
        Assert.True(slots.TryReserve("b"));
        Assert.False(slots.TryReserve("b"));
    }

    [Fact]
    public async Task ASuccessfulClaim_HoldsItsSlotUntilTheIndexSaysOtherwise()
    {
        var slots = new ConcurrencySlots();
        slots.Learn("b", 1);
        await slots.RefreshAsync("b", _ => Task.FromResult(0));
        Assert.True(slots.TryReserve("b"));
        slots.Release("b", claimed: true);

        Assert.False(slots.TryReserve("b"));
        // The child finished: the index no longer counts it.
        Assert.Equal(1, await slots.RefreshAsync("b", _ => Task.FromResult(0)));
        Assert.True(slots.TryReserve("b"));
    }
}
