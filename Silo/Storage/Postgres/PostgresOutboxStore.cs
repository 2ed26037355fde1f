using Levee.Grains.Storage;
using Levee.Silo.Outbox;

namespace Levee.Silo.Storage.Postgres;

/// <summary>
/// The outbox table on PostgreSQL. Reading claims the oldest messages for this silo for
/// <see cref="PostgresOptions.ClaimLease"/> (<c>FOR UPDATE SKIP LOCKED</c>), so each message is
/// delivered by one silo at a time, and by another once that silo's lease runs out.
/// </summary>
internal sealed class PostgresOutboxStore(PostgresDatabase database, TimeProvider clock) : IOutboxStore
{
    public async Task<IReadOnlyList<StoredMessage>> ReadAsync(int limit, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var messages = await database.ListAsync(PostgresSql.ClaimOutbox,
            r => new StoredMessage(r.GetInt64(0), new OutboxMessage(GrainId.Create(r.GetString(1), r.GetString(2)), r.GetString(3), r.GetString(4)),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5))),
            cancellationToken, now, limit, database.Owner, now + (long)database.Options.ClaimLease.TotalMilliseconds);
        // An UPDATE returns its rows in no particular order; delivery follows the ids.
        return messages.OrderBy(m => m.Id).ToArray();
    }

    public async Task DeleteAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count > 0)
        {
            await database.ExecuteAsync(PostgresSql.DeleteOutbox, cancellationToken, ids.ToArray());
        }
    }
}
