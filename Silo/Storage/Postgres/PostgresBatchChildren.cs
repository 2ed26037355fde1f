using Levee.Grains.Storage;

namespace Levee.Silo.Storage.Postgres;

/// <summary>A batch's child rows on PostgreSQL (<c>batch_children</c>, keyed by the batch grain's key).</summary>
internal sealed class PostgresBatchChildren(PostgresDatabase database) : IBatchChildren
{
    public async Task<IReadOnlySet<int>> AcceptedAmongAsync(GrainId batch, IReadOnlyList<int> indexes, CancellationToken cancellationToken) =>
        (await database.ListAsync(PostgresSql.ExistingBatchChildren, r => r.GetInt32(0), cancellationToken, batch.Key.ToString(), indexes.ToArray())).ToHashSet();

    public async Task<IReadOnlyDictionary<int, bool>> CountedAsync(GrainId batch, IReadOnlyList<int> indexes, CancellationToken cancellationToken) =>
        (await database.ListAsync(PostgresSql.CountedBatchChildren, r => (Index: r.GetInt32(0), Reported: r.GetBoolean(1)), cancellationToken,
            batch.Key.ToString(), indexes.ToArray())).ToDictionary(c => c.Index, c => c.Reported);

    public async Task<IReadOnlyList<int>> ChildrenAsync(GrainId batch, int fromIndex, int limit, CancellationToken cancellationToken) =>
        await database.ListAsync(PostgresSql.BatchChildIndexes, r => r.GetInt32(0), cancellationToken, batch.Key.ToString(), fromIndex, limit);

    public async Task<IReadOnlyList<int>> MissingAsync(GrainId batch, int runCount, int limit, CancellationToken cancellationToken) =>
        await database.ListAsync(PostgresSql.MissingBatchChildren, r => r.GetInt32(0), cancellationToken, batch.Key.ToString(), runCount, limit);
}
