using Levee.Grains.Storage;

namespace Levee.Silo.Storage.Sqlite;

/// <summary>The <c>tenant_usage</c> rows the commit writer keeps, read for the admin API.</summary>
internal sealed class SqliteTenantUsageStore(SqliteDatabase database) : ITenantUsageStore
{
    public Task<TenantUsage> ReadAsync(string tenant, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(database.Read(session =>
        {
            using var reader = session.With(SqliteSql.ReadTenantUsage, ("$tenant", tenant)).ExecuteReader();
            return reader.Read() ? new TenantUsage(reader.GetInt64(0), reader.GetInt64(1)) : default;
        }));
    }

    public Task<IReadOnlyDictionary<string, TenantUsage>> ReadAllAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyDictionary<string, TenantUsage>>(database.Read(session =>
        {
            using var reader = session.Command(SqliteSql.ReadAllTenantUsage).ExecuteReader();
            var usage = new Dictionary<string, TenantUsage>(StringComparer.Ordinal);
            while (reader.Read())
            {
                usage[reader.GetString(0)] = new TenantUsage(reader.GetInt64(1), reader.GetInt64(2));
            }
            return usage;
        }));
    }
}
