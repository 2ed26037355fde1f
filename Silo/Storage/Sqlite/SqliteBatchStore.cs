using System.Text.Json;
using Levee.Batches;
using Levee.Executions;

namespace Levee.Silo.Storage.Sqlite;

/// <summary>Batch-child records and child counts on SQLite.</summary>
internal sealed class SqliteBatchStore(SqliteDatabase database) : IBatchStore
{
    public IReadOnlySet<int> AcceptedAmong(string batchKey, IReadOnlyList<int> indexes) => database.Read(session =>
    {
        using var reader = session.With(SqliteSql.ExistingBatchChildren, ("$batch_key", batchKey),
            ("$indexes", JsonSerializer.Serialize(indexes, SiloJsonContext.Default.IReadOnlyListInt32))).ExecuteReader();
        var found = new HashSet<int>();
        while (reader.Read())
        {
            found.Add(reader.GetInt32(0));
        }
        return found;
    });

    public IReadOnlyDictionary<int, BatchChildState> ChildStates(string batchKey, IReadOnlyList<int> indexes) => database.Read(session =>
    {
        using var reader = session.With(SqliteSql.ReadBatchChildren, ("$batch_key", batchKey),
            ("$indexes", JsonSerializer.Serialize(indexes, SiloJsonContext.Default.IReadOnlyListInt32))).ExecuteReader();
        var children = new Dictionary<int, BatchChildState>();
        while (reader.Read())
        {
            children[reader.GetInt32(0)] = new BatchChildState(reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2) == 1);
        }
        return children;
    });

    public IReadOnlyList<(int Index, string ChildId)> Children(string batchKey, int fromIndex, int limit) => database.Read(session =>
    {
        using var reader = session.With(SqliteSql.BatchChildIds, ("$batch_key", batchKey), ("$from", fromIndex), ("$limit", limit)).ExecuteReader();
        var children = new List<(int, string)>();
        while (reader.Read())
        {
            children.Add((reader.GetInt32(0), reader.GetString(1)));
        }
        return children;
    });

    public IReadOnlyList<int> Missing(string batchKey, int runCount, int limit) => database.Read(session =>
    {
        // Walk the accepted indexes in order and report the gaps (stops after `limit`).
        using var reader = session.With(SqliteSql.BatchChildIds, ("$batch_key", batchKey), ("$from", 0), ("$limit", runCount)).ExecuteReader();
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
    });

    public BatchCounts Counts(string tenant, string project, string batchId) => database.Read(session =>
    {
        using var reader = session.With(SqliteSql.BatchStatusCounts, ("$tenant", tenant), ("$project", project), ("$batch_id", batchId)).ExecuteReader();
        var counts = new BatchCounts();
        while (reader.Read())
        {
            var n = reader.GetInt64(1);
            counts = ExecutionStatusNames.TryParse(reader.GetString(0), out var status) ? status switch
            {
                ExecutionStatus.Queued => counts with { Queued = n },
                ExecutionStatus.Running => counts with { Running = n },
                ExecutionStatus.Waiting => counts with { Waiting = n },
                ExecutionStatus.Succeeded => counts with { Succeeded = n },
                ExecutionStatus.Failed => counts with { Failed = n },
                ExecutionStatus.Cancelled => counts with { Cancelled = n },
                _ => counts with { TimedOut = n },
            } : counts;
        }
        return counts;
    });
}
