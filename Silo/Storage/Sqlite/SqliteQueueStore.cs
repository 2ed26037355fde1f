using Levee.Silo.Queues;

namespace Levee.Silo.Storage.Sqlite;

/// <summary>Claim candidates from the execution index (covered by <c>ix_execution_index_claim</c>).</summary>
internal sealed class SqliteQueueStore(SqliteDatabase database) : IQueueStore
{
    public IReadOnlyList<string> Candidates(string tenant, string project, string queue, DateTimeOffset now, int limit) => database.Read(session =>
    {
        using var reader = session.With(SqliteSql.ClaimCandidates, ("$tenant", tenant), ("$project", project), ("$queue", queue),
            ("$now", now.ToUnixTimeMilliseconds()), ("$limit", limit)).ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    });
}
