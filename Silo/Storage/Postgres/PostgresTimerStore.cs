using Levee.Silo.Timers;

namespace Levee.Silo.Storage.Postgres;

/// <summary>
/// The timers table on PostgreSQL. Reading due timers claims them for this silo for
/// <see cref="PostgresOptions.ClaimLease"/> (<c>FOR UPDATE SKIP LOCKED</c>): each due timer is
/// delivered by one silo, and by another once that silo's lease runs out.
/// </summary>
internal sealed class PostgresTimerStore(PostgresDatabase database) : ITimerStore
{
    public async Task<IReadOnlyList<DueTimer>> ReadDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        var at = now.ToUnixTimeMilliseconds();
        var timers = await database.ListAsync(PostgresSql.ClaimDueTimers,
            r => new DueTimer(GrainId.Create(r.GetString(0), r.GetString(1)), r.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3))),
            cancellationToken, at, limit, database.Owner, at + (long)database.Options.ClaimLease.TotalMilliseconds);
        // An UPDATE returns its rows in no particular order.
        return timers.OrderBy(t => t.DueAt).ToArray();
    }

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) =>
        await database.ScalarAsync(PostgresSql.NextTimerDue, cancellationToken, database.Owner) is long due ? DateTimeOffset.FromUnixTimeMilliseconds(due) : null;

    public async Task RemoveDeliveredAsync(IReadOnlyList<DueTimer> delivered, CancellationToken cancellationToken)
    {
        if (delivered.Count > 0)
        {
            await database.ExecuteAsync(PostgresSql.DeleteDeliveredTimers, cancellationToken, delivered.Select(t => t.Grain.Type.ToString()).ToArray(),
                delivered.Select(t => t.Grain.Key.ToString()).ToArray(), delivered.Select(t => t.Name).ToArray(),
                delivered.Select(t => t.DueAt.ToUnixTimeMilliseconds()).ToArray());
        }
    }

    public Task PostponeAsync(DueTimer timer, DateTimeOffset retryAt, CancellationToken cancellationToken) =>
        database.ExecuteAsync(PostgresSql.PostponeTimer, cancellationToken, timer.Grain.Type.ToString(), timer.Grain.Key.ToString(), timer.Name,
            timer.DueAt.ToUnixTimeMilliseconds(), DueTime.ToStored(retryAt));
}
