using Levee.Grains.Storage;
using Levee.Silo.Storage;

namespace Levee.Silo.Tests.Storage;

/// <summary>The writer's account of usage: a rolled-back group leaves nothing behind, a committed one counts for later checks.</summary>
public sealed class UsageLedgerTests
{
    private static readonly QuotaCheck Five = new(MaxExecutions: 5, MaxEventBytes: null);

    [Fact]
    public void RolledBack_ForgetsThePendingChanges()
    {
        var ledger = new UsageLedger();
        ledger.Check("t", new TenantUsage(1, 0), Five, _ => new TenantUsage(4, 0));
        ledger.Add("t", new TenantUsage(1, 0));

        ledger.RolledBack();

        Assert.Empty(ledger.Pending);
        ledger.Check("t", new TenantUsage(1, 0), Five, _ => throw new InvalidOperationException("read once"));
    }

    [Fact]
    public void Committed_CountsForTheNextCheck_WithoutReadingAgain()
    {
        var ledger = new UsageLedger();
        var reads = 0;
        ledger.Check("t", new TenantUsage(1, 0), Five, _ => { reads++; return new TenantUsage(4, 0); });
        ledger.Add("t", new TenantUsage(1, 0));
        ledger.Committed();

        Assert.Throws<QuotaExceededException>(() => ledger.Check("t", new TenantUsage(1, 0), Five, _ => { reads++; return default; }));
        Assert.Equal(1, reads);
    }

    [Fact]
    public void Pending_CountsForChecksInTheSameGroup()
    {
        var ledger = new UsageLedger();
        ledger.Check("t", new TenantUsage(1, 0), Five, _ => new TenantUsage(3, 0));
        ledger.Add("t", new TenantUsage(1, 0));
        ledger.Check("t", new TenantUsage(1, 0), Five, _ => default);
        ledger.Add("t", new TenantUsage(1, 0));

        var refused = Assert.Throws<QuotaExceededException>(() => ledger.Check("t", new TenantUsage(1, 0), Five, _ => default));

        Assert.Equal(5, refused.Usage);
    }

    [Fact]
    public void Removals_GiveRoomBack_AndAZeroChangeIsNotPending()
    {
        var ledger = new UsageLedger();
        ledger.Check("t", new TenantUsage(0, 0), Five, _ => new TenantUsage(5, 0));
        ledger.Add("t", new TenantUsage(-2, 0));
        ledger.Add("u", default);

        ledger.Check("t", new TenantUsage(2, 0), Five, _ => default);

        Assert.Equal(["t"], ledger.Pending.Keys);
    }
}
