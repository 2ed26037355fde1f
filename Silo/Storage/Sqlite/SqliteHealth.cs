using Levee.Runtime;

namespace Levee.Silo.Storage.Sqlite;

/// <summary>Readiness: the database answers a trivial query.</summary>
internal sealed class SqliteHealth(SqliteDatabase database) : IStorageHealth
{
    public Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(database.Read(session => Convert.ToInt64(session.Command(SqliteSql.Ping).ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 1));
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return Task.FromResult(false);
        }
    }
}
