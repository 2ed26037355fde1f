using System.Globalization;
using Levee.Grains.Storage;

namespace Levee.Silo.Storage.Sqlite;

/// <summary>Readiness: the database answers a trivial query.</summary>
internal sealed class SqliteHealth(SqliteDatabase database) : IStorageHealth
{
    public Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(database.Read(session => Convert.ToInt64(session.Command(SqliteSql.Ping).ExecuteScalar(), CultureInfo.InvariantCulture) == 1));
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return Task.FromResult(false);
        }
    }
}
