using Levee.Grains.Storage;

namespace Levee.Silo.Storage.Postgres;

/// <summary>The <c>tenant_usage</c> rows the commit writers keep, read for the admin API.</summary>
internal sealed class PostgresTenantUsageStore(PostgresDatabase database) : ITenantUsageStore
{
    public async Task<TenantUsage> ReadAsync(string tenant, CancellationToken cancellationToken) =>
        (await database.ListAsync(PostgresSql.ReadTenantUsage, r => new TenantUsage(r.GetInt64(0), r.GetInt64(1)), cancellationToken, tenant)).FirstOrDefault();

    public async Task<IReadOnlyDictionary<string, TenantUsage>> ReadAllAsync(CancellationToken cancellationToken) =>
        (await database.ListAsync(PostgresSql.ReadAllTenantUsage, r => (Tenant: r.GetString(0), Usage: new TenantUsage(r.GetInt64(1), r.GetInt64(2))),
            cancellationToken)).ToDictionary(u => u.Tenant, u => u.Usage, StringComparer.Ordinal);
}
