using System.Globalization;
using System.Text;
using Levee.Executions;
using Levee.Grains.Executions;
using Levee.Runtime;

namespace Levee.Silo.Storage.Sqlite;

/// <summary>Lists executions from the index table joined to their state rows, newest first, keyset-paged.</summary>
internal sealed class SqliteExecutionQuery(SqliteDatabase database) : IExecutionQuery
{
    public Task<Page<ExecutionView>> ListAsync(ExecutionListQuery query, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (cursorCreated, cursorId) = DecodeCursor(query.Cursor);
        var rows = database.Read(session =>
        {
            using var reader = session.With(SqliteSql.ListExecutions, ("$tenant", query.Tenant), ("$project", query.Project),
                ("$status", query.Status?.ToWire()), ("$task", query.Task), ("$queue", query.Queue), ("$parent_id", query.ParentId), ("$batch_id", query.BatchId),
                ("$cursor_created", cursorCreated), ("$cursor_id", cursorId), ("$limit", query.Limit + 1)).ExecuteReader();
            var list = new List<(ExecutionView View, long Created, string Id)>();
            while (reader.Read())
            {
                var stored = new StoredGrain(reader.GetInt64(0), reader.GetInt64(1), (byte[])reader.GetValue(2));
                list.Add((ExecutionCodec.ToView(stored), reader.GetInt64(3), reader.GetString(4)));
            }
            return list;
        });
        var more = rows.Count > query.Limit;
        var page = more ? rows[..query.Limit] : rows;
        var next = more ? EncodeCursor(page[^1].Created, page[^1].Id) : null;
        return Task.FromResult(new Page<ExecutionView>(page.Select(r => r.View).ToArray(), next));
    }

    private static string EncodeCursor(long created, string id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{created.ToString(CultureInfo.InvariantCulture)}|{id}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static (long? Created, string? Id) DecodeCursor(string? cursor)
    {
        if (cursor is null)
        {
            return (null, null);
        }
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            return (long.Parse(text[..bar], NumberStyles.None, CultureInfo.InvariantCulture), text[(bar + 1)..]);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentOutOfRangeException or OverflowException)
        {
            throw new FormatException("cursor is not a cursor this server issued.", ex);
        }
    }
}
