using Levee.Silo.Timers;

namespace Levee.Silo.Storage.Sqlite;

/// <summary>The timers table on SQLite.</summary>
internal sealed class SqliteTimerStore(SqliteDatabase database) : ITimerStore
{
    public Task<IReadOnlyList<DueTimer>> ReadDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<DueTimer>>(database.Read(session =>
        {
            using var reader = session.With(SqliteSql.DueTimers, ("$now", now.ToUnixTimeMilliseconds()), ("$limit", limit)).ExecuteReader();
            var timers = new List<DueTimer>();
            while (reader.Read())
            {
                timers.Add(new DueTimer(GrainId.Create(reader.GetString(0), reader.GetString(1)), reader.GetString(2),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
            }
            return timers;
        }));
    }

    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(database.Read(session =>
            session.Command(SqliteSql.NextTimerDue).ExecuteScalar() is long due ? DateTimeOffset.FromUnixTimeMilliseconds(due) : (DateTimeOffset?)null));
    }

    public Task RemoveDeliveredAsync(IReadOnlyList<DueTimer> delivered, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (delivered.Count > 0)
        {
            database.Write(session =>
            {
                foreach (var timer in delivered)
                {
                    session.Execute(SqliteSql.DeleteDeliveredTimer, ("$type", timer.Grain.Type.ToString()), ("$key", timer.Grain.Key.ToString()),
                        ("$name", timer.Name), ("$due_at", timer.DueAt.ToUnixTimeMilliseconds()));
                }
                return delivered.Count;
            });
        }
        return Task.CompletedTask;
    }

    public Task PostponeAsync(DueTimer timer, DateTimeOffset retryAt, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        database.Write(session => session.Execute(SqliteSql.PostponeTimer, ("$type", timer.Grain.Type.ToString()), ("$key", timer.Grain.Key.ToString()),
            ("$name", timer.Name), ("$due_at", timer.DueAt.ToUnixTimeMilliseconds()), ("$retry_at", DueTime.ToStored(retryAt))));
        return Task.CompletedTask;
    }
}
