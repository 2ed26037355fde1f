using Levee.Executions;
using Levee.Grains.Storage;

namespace Levee.Silo.Storage.Postgres;

/// <summary>Queries over <c>execution_index</c> on PostgreSQL (claim order, list order, a batch's children by status).</summary>
internal sealed class PostgresExecutionIndex(PostgresDatabase database) : IExecutionIndex
{
    public async Task<IReadOnlyList<ClaimCandidate>> NextClaimsAsync(string tenant, string project, string queue, DateTimeOffset now, int limit,
        CancellationToken cancellationToken) =>
        await database.ListAsync(PostgresSql.ClaimCandidates, r => new ClaimCandidate(r.GetString(0), r.GetInt64(1)), cancellationToken,
            tenant, project, queue, now.ToUnixTimeMilliseconds(), limit);

    public async Task<IReadOnlyList<ClaimCandidate>> CappedClaimsAsync(string tenant, string project, string queue, string batchId, DateTimeOffset now,
        int limit, CancellationToken cancellationToken) =>
        await database.ListAsync(PostgresSql.CappedClaimCandidates, r => new ClaimCandidate(r.GetString(0), r.GetInt64(1), batchId), cancellationToken,
            tenant, project, queue, batchId, now.ToUnixTimeMilliseconds(), limit);

    public async Task<IReadOnlyDictionary<string, int>> CappedBatchesAsync(string tenant, string project, string queue, CancellationToken cancellationToken) =>
        (await database.ListAsync(PostgresSql.CappedBatches, r => (Batch: r.GetString(0), Cap: r.GetInt32(1)), cancellationToken, tenant, project, queue))
        .ToDictionary(c => c.Batch, c => c.Cap, StringComparer.Ordinal);

    public async Task<bool> ExistsAsync(string tenant, string project, string id, CancellationToken cancellationToken) =>
        await database.ScalarAsync(PostgresSql.ExecutionExists, cancellationToken, tenant, project, id) is not null;

    public async Task<int> CountLeasedAsync(string tenant, string project, string batchId, CancellationToken cancellationToken) =>
        Convert.ToInt32(await database.ScalarAsync(PostgresSql.CountLeased, cancellationToken, tenant, project, batchId), System.Globalization.CultureInfo.InvariantCulture);

    public async Task<IReadOnlyList<ListedExecution>> ListAsync(string grainType, ExecutionListQuery query, long? afterCreatedAt, string? afterId, int limit,
        CancellationToken cancellationToken) =>
        await database.ListAsync(PostgresSql.ListExecutions,
            r => new ListedExecution(new StoredGrain(r.GetInt64(0), r.GetInt64(1), (byte[])r.GetValue(2)), r.GetInt64(3), r.GetString(4)), cancellationToken,
            grainType, query.Tenant, query.Project, query.Status?.ToWire(), query.Task, query.Queue, query.ParentId, query.BatchId, afterCreatedAt, afterId, limit);

    public Task<IReadOnlyDictionary<ExecutionStatus, long>> CountBatchAsync(string tenant, string project, string batchId, CancellationToken cancellationToken) =>
        CountsAsync(PostgresSql.BatchStatusCounts, cancellationToken, tenant, project, batchId);

    public Task<IReadOnlyDictionary<ExecutionStatus, long>> CountByStatusAsync(CancellationToken cancellationToken) =>
        CountsAsync(PostgresSql.StatusCounts, cancellationToken);

    public async Task<IReadOnlyList<QueueDepth>> QueueDepthsAsync(string tenant, string project, DateTimeOffset now, int limit,
        CancellationToken cancellationToken) =>
        await database.ListAsync(PostgresSql.QueueDepths,
            r => new QueueDepth(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.IsDBNull(3) ? null : r.GetInt64(3)), cancellationToken,
            tenant, project, now.ToUnixTimeMilliseconds(), limit);

    public async Task<IReadOnlyList<string>> BatchesInFlightAsync(string tenant, string project, int limit, CancellationToken cancellationToken) =>
        await database.ListAsync(PostgresSql.BatchesInFlight, r => r.GetString(0), cancellationToken, tenant, project, limit);

    /// <summary>Rows of (status, count).</summary>
    private async Task<IReadOnlyDictionary<ExecutionStatus, long>> CountsAsync(string sql, CancellationToken cancellationToken, params object?[] values) =>
        (await database.ListAsync(sql, r => (Name: r.GetString(0), Count: r.GetInt64(1)), cancellationToken, values))
        .ToDictionary(c => ExecutionStatusNames.TryParse(c.Name, out var status) ? status
            : throw new InvalidOperationException($"Unexpected status '{c.Name}' in execution_index — a bug."), c => c.Count);
}
