using Levee.Executions;
using Levee.Grains.Storage;

namespace Levee.Silo.Storage.Sqlite;

/// <summary>Queries over <c>execution_index</c> (claim order, list order, a batch's children by status).</summary>
internal sealed class SqliteExecutionIndex(SqliteDatabase database) : IExecutionIndex
{
    public Task<IReadOnlyList<ClaimCandidate>> NextClaimsAsync(string tenant, string project, string queue, DateTimeOffset now, int limit,
        CancellationToken cancellationToken) =>
        CandidatesAsync(SqliteSql.ClaimCandidates, null, cancellationToken, ("$tenant", tenant), ("$project", project), ("$queue", queue),
            ("$now", now.ToUnixTimeMilliseconds()), ("$limit", limit));

    public Task<IReadOnlyList<ClaimCandidate>> CappedClaimsAsync(string tenant, string project, string queue, string batchId, DateTimeOffset now,
        int limit, CancellationToken cancellationToken) =>
        CandidatesAsync(SqliteSql.CappedClaimCandidates, batchId, cancellationToken, ("$tenant", tenant), ("$project", project), ("$queue", queue),
            ("$batch_id", batchId), ("$now", now.ToUnixTimeMilliseconds()), ("$limit", limit));

    public Task<IReadOnlyDictionary<string, int>> CappedBatchesAsync(string tenant, string project, string queue, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyDictionary<string, int>>(database.Read(session =>
        {
            using var reader = session.With(SqliteSql.CappedBatches, ("$tenant", tenant), ("$project", project), ("$queue", queue)).ExecuteReader();
            var caps = new Dictionary<string, int>(StringComparer.Ordinal);
            while (reader.Read())
            {
                caps[reader.GetString(0)] = reader.GetInt32(1);
            }
            return caps;
        }));
    }

    private Task<IReadOnlyList<ClaimCandidate>> CandidatesAsync(string sql, string? cappedBatch, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<ClaimCandidate>>(database.Read(session =>
        {
            using var reader = session.With(sql, parameters).ExecuteReader();
            var candidates = new List<ClaimCandidate>();
            while (reader.Read())
            {
                candidates.Add(new ClaimCandidate(reader.GetString(0), reader.GetInt64(1), cappedBatch));
            }
            return candidates;
        }));
    }

    public Task<bool> ExistsAsync(string tenant, string project, string id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(database.Read(session =>
            session.With(SqliteSql.ExecutionExists, ("$tenant", tenant), ("$project", project), ("$id", id)).ExecuteScalar() is not null));
    }

    public Task<int> CountLeasedAsync(string tenant, string project, string batchId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(database.Read(session => Convert.ToInt32(
            session.With(SqliteSql.CountLeased, ("$tenant", tenant), ("$project", project), ("$batch_id", batchId)).ExecuteScalar(),
            System.Globalization.CultureInfo.InvariantCulture)));
    }

    public Task<IReadOnlyList<ListedExecution>> ListAsync(string grainType, ExecutionListQuery query, long? afterCreatedAt, string? afterId, int limit,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<ListedExecution>>(database.Read(session =>
        {
            using var reader = session.With(SqliteSql.ListExecutions, ("$grain_type", grainType), ("$tenant", query.Tenant), ("$project", query.Project),
                ("$status", query.Status?.ToWire()), ("$task", query.Task), ("$queue", query.Queue), ("$parent_id", query.ParentId),
                ("$batch_id", query.BatchId), ("$cursor_created", afterCreatedAt), ("$cursor_id", afterId), ("$limit", limit)).ExecuteReader();
            var list = new List<ListedExecution>();
            while (reader.Read())
            {
                list.Add(new ListedExecution(new StoredGrain(reader.GetInt64(0), reader.GetInt64(1), (byte[])reader.GetValue(2)), reader.GetInt64(3),
                    reader.GetString(4)));
            }
            return list;
        }));
    }

    public Task<IReadOnlyDictionary<ExecutionStatus, long>> CountBatchAsync(string tenant, string project, string batchId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(database.Read(session =>
            ReadStatusCounts(session.With(SqliteSql.BatchStatusCounts, ("$tenant", tenant), ("$project", project), ("$batch_id", batchId)))));
    }

    public Task<IReadOnlyDictionary<ExecutionStatus, long>> CountByStatusAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(database.Read(session => ReadStatusCounts(session.Command(SqliteSql.StatusCounts))));
    }

    public Task<IReadOnlyList<QueueDepth>> QueueDepthsAsync(string tenant, string project, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<QueueDepth>>(database.Read(session =>
        {
            using var reader = session.With(SqliteSql.QueueDepths, ("$tenant", tenant), ("$project", project), ("$now", now.ToUnixTimeMilliseconds()),
                ("$limit", limit)).ExecuteReader();
            var queues = new List<QueueDepth>();
            while (reader.Read())
            {
                queues.Add(new QueueDepth(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetInt64(3)));
            }
            return queues;
        }));
    }

    public Task<IReadOnlyList<string>> BatchesInFlightAsync(string tenant, string project, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<string>>(database.Read(session =>
        {
            using var reader = session.With(SqliteSql.BatchesInFlight, ("$tenant", tenant), ("$project", project), ("$limit", limit)).ExecuteReader();
            var ids = new List<string>();
            while (reader.Read())
            {
                ids.Add(reader.GetString(0));
            }
            return ids;
        }));
    }

    /// <summary>Rows of (status, count).</summary>
    private static IReadOnlyDictionary<ExecutionStatus, long> ReadStatusCounts(Microsoft.Data.Sqlite.SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var counts = new Dictionary<ExecutionStatus, long>();
        while (reader.Read())
        {
            var name = reader.GetString(0);
            counts[ExecutionStatusNames.TryParse(name, out var status) ? status
                : throw new InvalidOperationException($"Unexpected status '{name}' in execution_index — a bug.")] = reader.GetInt64(1);
        }
        return counts;
    }
}
