using Levee.Runtime;
using Levee.Silo.Streams;
using Levee.Streams;

namespace Levee.Silo.Storage.Sqlite;

/// <summary>Reads event logs from SQLite; live tails are woken by the <see cref="StreamNotifier"/>.</summary>
internal sealed class SqliteEventLog(SqliteDatabase database, StreamNotifier notifier) : IEventLog
{
    public Task<IReadOnlyList<StoredEvent>> ReadAsync(GrainId stream, long fromSeq, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<StoredEvent>>(database.Read(session =>
        {
            using var reader = session.With(SqliteSql.ReadEvents, ("$stream", stream.ToString()), ("$from", fromSeq), ("$limit", limit)).ExecuteReader();
            var events = new List<StoredEvent>();
            while (reader.Read())
            {
                events.Add(new StoredEvent(reader.GetInt64(0), reader.GetString(1), (byte[])reader.GetValue(2),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
            }
            return events;
        }));
    }

    public IStreamSubscription Subscribe(GrainId stream) => notifier.Subscribe(stream);
}
