namespace Levee.Grains.Storage;

/// <summary>Reads the per-tenant usage that commits maintain (for the admin API).</summary>
public interface ITenantUsageStore
{
    /// <summary>The tenant's usage (zero when it stores nothing).</summary>
    Task<TenantUsage> ReadAsync(string tenant, CancellationToken cancellationToken);

    /// <summary>Every tenant storing anything, by tenant name.</summary>
    Task<IReadOnlyDictionary<string, TenantUsage>> ReadAllAsync(CancellationToken cancellationToken);
}
