using Levee.Runtime;
using Levee.Silo.Outbox;

namespace Levee.Silo.Storage.Sqlite;

/// <summary>The outbox table on SQLite.</summary>
internal sealed class SqliteOutboxStore(SqliteDatabase database) : IOutboxStore
{
    public IReadOnlyList<StoredMessage> Read(int limit) => database.Read(session =>
    {
        using var reader = session.With(SqliteSql.ReadOutbox, ("$limit", limit)).ExecuteReader();
        var messages = new List<StoredMessage>();
        while (reader.Read())
        {
            messages.Add(new StoredMessage(reader.GetInt64(0),
                new OutboxMessage(new GrainId(reader.GetString(1), reader.GetString(2)), reader.GetString(3), reader.GetString(4))));
        }
        return messages;
    });

    public void Delete(IReadOnlyList<long> ids)
    {
        if (ids.Count == 0)
        {
            return;
        }
        database.Write(session =>
        {
            foreach (var id in ids)
            {
                session.Execute(SqliteSql.DeleteOutbox, ("$id", id));
            }
            return ids.Count;
        });
    }
}
