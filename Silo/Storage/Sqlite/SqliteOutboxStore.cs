using Levee.Grains.Storage;
using Levee.Silo.Outbox;

namespace Levee.Silo.Storage.Sqlite;

/// <summary>The outbox table on SQLite.</summary>
internal sealed class SqliteOutboxStore(SqliteDatabase database) : IOutboxStore
{
    public Task<IReadOnlyList<StoredMessage>> ReadAsync(int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<StoredMessage>>(database.Read(session =>
        {
            using var reader = session.With(SqliteSql.ReadOutbox, ("$limit", limit)).ExecuteReader();
            var messages = new List<StoredMessage>();
            while (reader.Read())
            {
                messages.Add(new StoredMessage(reader.GetInt64(0),
                    new OutboxMessage(GrainId.Create(reader.GetString(1), reader.GetString(2)), reader.GetString(3), reader.GetString(4)),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
            }
            return messages;
        }));
    }

    public Task DeleteAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (ids.Count > 0)
        {
            database.Write(session =>
            {
                foreach (var id in ids)
                {
                    session.Execute(SqliteSql.DeleteOutbox, ("$id", id));
                }
                return ids.Count;
            });
        }
        return Task.CompletedTask;
    }
}
