using Levee.Runtime;

namespace Levee.Silo.Storage.Sqlite;

/// <summary>Grain state rows on SQLite: reads from the pool, writes through the group-commit writer.</summary>
internal sealed class SqliteGrainStorage(SqliteDatabase database, SqliteCommitWriter writer) : IGrainStorage
{
    public Task<StoredGrain?> ReadAsync(GrainId id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(database.Read(session =>
        {
            using var reader = session.With(SqliteSql.ReadGrain, ("$type", id.Type), ("$key", id.Key)).ExecuteReader();
            return reader.Read() ? new StoredGrain(reader.GetInt64(0), reader.GetInt64(1), (byte[])reader.GetValue(2)) : null;
        }));
    }

    public Task<CommitOutcome> CommitAsync(GrainCommit commit, CancellationToken cancellationToken) => writer.CommitAsync(commit);
}
