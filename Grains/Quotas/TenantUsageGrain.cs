using Levee.Grains.Storage;
using Levee.Quotas;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Levee.Grains.Quotas;

/// <summary>Reads the usage rows commits keep, with the configured quotas. A stateless worker on every silo.</summary>
[GrainType("usage"), StatelessWorker]
internal sealed class TenantUsageGrain(ITenantUsageStore usage, IOptions<GrainOptions> options) : Grain, ITenantUsageGrain
{
    private readonly TenantQuota _quota = options.Value.Quota;

    public async Task<TenantUsageView> GetAsync(string tenant) => View(tenant, await usage.ReadAsync(tenant, CancellationToken.None));

    public async Task<IReadOnlyList<TenantUsageView>> ListAsync() =>
        (await usage.ReadAllAsync(CancellationToken.None)).Select(entry => View(entry.Key, entry.Value)).ToArray();

    private TenantUsageView View(string tenant, TenantUsage stored) =>
        new(tenant, stored.Executions, stored.EventBytes, _quota.MaxExecutions, _quota.MaxEventBytes);
}
