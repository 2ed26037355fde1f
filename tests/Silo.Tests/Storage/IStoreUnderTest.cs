using Levee.Grains.Storage;
using Levee.Silo.Outbox;
using Levee.Silo.Timers;

namespace Levee.Silo.Tests.Storage;

/// <summary>One dialect's implementation of the commit-store contract, as the conformance suite drives it.</summary>
public interface IStoreUnderTest : IAsyncDisposable
{
    /// <summary>The store's services (its group-commit counters among them).</summary>
    IServiceProvider Services { get; }
    ICommitStore Commits { get; }
    IExecutionIndex Index { get; }
    IBatchChildren Children { get; }
    IApiKeyStore Keys { get; }
    IStorageHealth Health { get; }
    ITimerStore Timers { get; }
    IOutboxStore Outbox { get; }
    ITenantUsageStore Usage { get; }

    /// <summary>Closes the store and opens it again on the same data (durability).</summary>
    Task<IStoreUnderTest> ReopenAsync();
}
