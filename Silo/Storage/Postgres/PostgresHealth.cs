using Levee.Grains.Storage;
using Npgsql;

namespace Levee.Silo.Storage.Postgres;

/// <summary>Readiness: the server answers a trivial query.</summary>
internal sealed class PostgresHealth(PostgresDatabase database) : IStorageHealth
{
    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await database.ScalarAsync(PostgresSql.Ping, cancellationToken) is 1;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            return false;
        }
    }
}
