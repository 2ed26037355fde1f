using System.Text.Json;
using Levee.Grains.Storage;

namespace Levee.Silo.Storage.Sqlite;

/// <summary>A batch's child rows on SQLite (<c>batch_children</c>, keyed by the batch grain's key).</summary>
internal sealed class SqliteBatchChildren(SqliteDatabase database) : IBatchChildren
{
    public Task<IReadOnlySet<int>> AcceptedAmongAsync(GrainId batch, IReadOnlyList<int> indexes, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlySet<int>>(database.Read(session =>
        {
            using var reader = session.With(SqliteSql.ExistingBatchChildren, ("$batch_key", batch.Key.ToString()),
                ("$indexes", JsonSerializer.Serialize(indexes, SiloJsonContext.Default.IReadOnlyListInt32))).ExecuteReader();
            var found = new HashSet<int>();
            while (reader.Read())
            {
                found.Add(reader.GetInt32(0));
            }
            return found;
        }));
    }

    public Task<IReadOnlyDictionary<int, bool>> CountedAsync(GrainId batch, IReadOnlyList<int> indexes, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyDictionary<int, bool>>(database.Read(session =>
        {
            using var reader = session.With(SqliteSql.CountedBatchChildren, ("$batch_key", batch.Key.ToString()),
                ("$indexes", JsonSerializer.Serialize(indexes, SiloJsonContext.Default.IReadOnlyListInt32))).ExecuteReader();
            var rows = new Dictionary<int, bool>();
            while (reader.Read())
            {
                rows[reader.GetInt32(0)] = reader.GetInt64(1) == 1;
            }
            return rows;
        }));
    }

    public Task<IReadOnlyList<int>> ChildrenAsync(GrainId batch, int fromIndex, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<int>>(database.Read(session =>
        {
            using var reader = session.With(SqliteSql.BatchChildIndexes, ("$batch_key", batch.Key.ToString()), ("$from", fromIndex), ("$limit", limit)).ExecuteReader();
            var children = new List<int>();
            while (reader.Read())
            {
                children.Add(reader.GetInt32(0));
            }
            return children;
        }));
    }

    public Task<IReadOnlyList<int>> MissingAsync(GrainId batch, int runCount, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<int>>(database.Read(session =>
        {
            // Walk the accepted indexes in order and report the gaps (stops after `limit`).
            using var reader = session.With(SqliteSql.BatchChildIndexes, ("$batch_key", batch.Key.ToString()), ("$from", 0), ("$limit", runCount)).ExecuteReader();
            var missing = new List<int>(limit);
            var expected = 0;
            while (missing.Count < limit && reader.Read())
            {
                var index = reader.GetInt32(0);
                for (; expected < index && missing.Count < limit; expected++)
                {
                    missing.Add(expected);
                }
                expected = index + 1;
            }
            for (; expected < runCount && missing.Count < limit; expected++)
            {
                missing.Add(expected);
            }
            return missing;
        }));
    }
}
