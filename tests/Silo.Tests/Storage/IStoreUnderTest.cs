using Levee.Grains.Storage;
using Levee.Silo.Outbox;
using Levee.Silo.Timers;
using Microsoft.Extensions.DependencyInjection;

namespace Levee.Silo.Tests.Storage;

/// <summary>One dialect's implementation of the commit-store contract, as the conformance suite drives it (each contract resolved from its services).</summary>
public interface IStoreUnderTest : IAsyncDisposable
{
    /// <summary>The store's services (its group-commit counters among them).</summary>
    IServiceProvider Services { get; }
    ICommitStore Commits => Services.GetRequiredService<ICommitStore>();
    IExecutionIndex Index => Services.GetRequiredService<IExecutionIndex>();
    IBatchChildren Children => Services.GetRequiredService<IBatchChildren>();
    IApiKeyStore Keys => Services.GetRequiredService<IApiKeyStore>();
    IStorageHealth Health => Services.GetRequiredService<IStorageHealth>();
    ITimerStore Timers => Services.GetRequiredService<ITimerStore>();
    IOutboxStore Outbox => Services.GetRequiredService<IOutboxStore>();
    ITenantUsageStore Usage => Services.GetRequiredService<ITenantUsageStore>();

    /// <summary>Closes the store and opens it again on the same data (durability).</summary>
    Task<IStoreUnderTest> ReopenAsync();
}
