using Levee.Cluster;
using Levee.Grains.Storage;
using Orleans.Concurrency;

namespace Levee.Grains.Cluster;

/// <summary>Readiness of the silo it runs on: a stateless worker that pings its storage.</summary>
[GrainType("ready"), StatelessWorker]
internal sealed class ReadinessGrain(IStorageHealth storage) : Grain, IReadinessGrain
{
    public Task<bool> IsReadyAsync() => storage.IsReadyAsync(CancellationToken.None);
}
