using System.Text.Json;
using Levee.Grains.Storage;
using Levee.Streams;

namespace Levee.Silo.Storage.Sqlite;

/// <summary>Grain state rows and event logs on SQLite: reads from the pool, writes through the group-commit writer.</summary>
internal sealed class SqliteCommitStore(SqliteDatabase database, SqliteCommitWriter writer) : ICommitStore
{
    public Task<StoredGrain?> ReadAsync(GrainId id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(database.Read(session =>
        {
            using var reader = session.With(SqliteSql.ReadGrain, ("$type", id.Type.ToString()), ("$key", id.Key.ToString())).ExecuteReader();
            return reader.Read() ? new StoredGrain(reader.GetInt64(0), reader.GetInt64(1), (byte[])reader.GetValue(2)) : null;
        }));
    }

    public Task<IReadOnlyDictionary<GrainId, StoredGrain>> ReadManyAsync(IReadOnlyList<GrainId> ids, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var found = new Dictionary<GrainId, StoredGrain>();
        foreach (var group in ids.GroupBy(id => id.Type))
        {
            var type = group.Key.ToString();
            database.Read(session =>
            {
                var keys = JsonSerializer.Serialize(group.Select(id => id.Key.ToString()).ToArray(), SiloJsonContext.Default.StringArray);
                using var reader = session.With(SqliteSql.ReadGrains, ("$type", type), ("$keys", keys)).ExecuteReader();
                while (reader.Read())
                {
                    found[GrainId.Create(type, reader.GetString(0))] = new StoredGrain(reader.GetInt64(1), reader.GetInt64(2), (byte[])reader.GetValue(3));
                }
                return found.Count;
            });
        }
        return Task.FromResult<IReadOnlyDictionary<GrainId, StoredGrain>>(found);
    }

    public Task<CommitOutcome> CommitAsync(GrainCommit commit, CancellationToken cancellationToken) => writer.CommitAsync(commit);

    public Task<EventPage> ReadEventsAsync(GrainId stream, long fromSeq, int maxEvents, int maxBytes, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(database.Read(session =>
        {
            using var reader = session.With(SqliteSql.ReadEvents, ("$stream", stream.ToString()), ("$from", fromSeq), ("$limit", maxEvents)).ExecuteReader();
            var page = new EventPageBuilder(maxEvents, maxBytes);
            while (reader.Read())
            {
                if (!page.TryAdd(reader.GetInt64(0), reader.GetString(1), (byte[])reader.GetValue(2), reader.GetInt64(3)))
                {
                    return page.Build(full: true);
                }
            }
            return page.Build();
        }));
    }
}
