using Levee.Idempotency;

namespace Levee.Silo.Storage.Sqlite;

/// <summary>Looks up Idempotency-Key claims (claims are written by grain commits).</summary>
internal sealed class SqliteIdempotencyStore(SqliteDatabase database) : IIdempotencyStore
{
    public Task<IdempotencyClaim?> FindAsync(string tenant, string project, string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(database.Read(session =>
        {
            using var reader = session.With(SqliteSql.FindIdempotency, ("$tenant", tenant), ("$project", project), ("$key", key),
                ("$now", now.ToUnixTimeMilliseconds())).ExecuteReader();
            return reader.Read()
                ? new IdempotencyClaim(tenant, project, key, reader.GetString(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)))
                : null;
        }));
    }
}
