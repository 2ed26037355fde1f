using Levee.Runtime;
using Levee.Silo.Timers;

namespace Levee.Silo.Storage.Sqlite;

/// <summary>The timers table on SQLite.</summary>
internal sealed class SqliteTimerStore(SqliteDatabase database) : ITimerStore
{
    public IReadOnlyList<DueTimer> ReadDue(DateTimeOffset now, int limit) => database.Read(session =>
    {
        using var reader = session.With(SqliteSql.DueTimers, ("$now", now.ToUnixTimeMilliseconds()), ("$limit", limit)).ExecuteReader();
        var timers = new List<DueTimer>();
        while (reader.Read())
        {
            timers.Add(new DueTimer(new GrainId(reader.GetString(0), reader.GetString(1)), reader.GetString(2),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
        }
        return timers;
    });

    public DateTimeOffset? NextDue() => database.Read(session =>
        session.Command(SqliteSql.NextTimerDue).ExecuteScalar() is long due ? DateTimeOffset.FromUnixTimeMilliseconds(due) : (DateTimeOffset?)null);

    public void RemoveDelivered(IReadOnlyList<DueTimer> delivered)
    {
        if (delivered.Count == 0)
        {
            return;
        }
        database.Write(session =>
        {
            foreach (var timer in delivered)
            {
                session.Execute(SqliteSql.DeleteDeliveredTimer, ("$type", timer.Grain.Type), ("$key", timer.Grain.Key), ("$name", timer.Name),
                    ("$due_at", timer.DueAt.ToUnixTimeMilliseconds()));
            }
            return delivered.Count;
        });
    }

    public void Postpone(DueTimer timer, DateTimeOffset retryAt) => database.Write(session =>
        session.Execute(SqliteSql.PostponeTimer, ("$type", timer.Grain.Type), ("$key", timer.Grain.Key), ("$name", timer.Name),
            ("$due_at", timer.DueAt.ToUnixTimeMilliseconds()), ("$retry_at", DueTime.ToStored(retryAt))));
}
