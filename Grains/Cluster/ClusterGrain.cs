using System.Globalization;
using Levee.Cluster;
using Levee.Executions;
using Levee.Grains.Storage;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace Levee.Grains.Cluster;

/// <summary>
/// The cluster view: membership and activations from Orleans' management grain, the execution
/// totals from the index, and the activity of the silo this worker runs on. Another silo's
/// activity is not known here (null); the cluster issue asks each silo for its own.
/// </summary>
[GrainType("cluster"), StatelessWorker(1)]
internal sealed class ClusterGrain(IExecutionIndex index, ISiloActivity activity, ILocalSiloDetails local) : Grain, IClusterGrain
{
    public async Task<ClusterView> GetAsync()
    {
        var management = GrainFactory.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetDetailedHosts(onlyActive: false);
        var grains = await management.GetSimpleGrainStatistics();
        var (commandsPerSecond, commitLatency) = activity.Sample();
        var silos = hosts.OrderBy(h => h.SiloAddress.ToString(), StringComparer.Ordinal).Select(host =>
        {
            var own = host.SiloAddress.Equals(local.SiloAddress);
            var activations = grains.Where(g => g.SiloAddress.Equals(host.SiloAddress))
                .GroupBy(g => g.GrainType, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Sum(s => s.ActivationCount), StringComparer.Ordinal);
            return new SiloView(host.SiloAddress.ToParsableString(), host.SiloAddress.Endpoint.ToString(), host.SiloName,
                host.Status.ToString().ToLowerInvariant(), new DateTimeOffset(host.StartTime, TimeSpan.Zero), new DateTimeOffset(host.IAmAliveTime, TimeSpan.Zero),
                activations, own ? Math.Round(commandsPerSecond, 1) : null, own && commitLatency is { } ms ? Math.Round(ms, 2) : null);
        }).ToArray();
        var totals = await index.CountByStatusAsync(CancellationToken.None);
        return new ClusterView(silos, totals.OrderBy(t => t.Key).ToDictionary(t => t.Key.ToWire(), t => t.Value, StringComparer.Ordinal));
    }
}
