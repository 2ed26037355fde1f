using Levee.Grains.Storage;
using Levee.Streams;

namespace Levee.Silo.Storage.Postgres;

/// <summary>Grain state rows and event logs on PostgreSQL: reads from the pool, writes through the group-commit writer.</summary>
internal sealed class PostgresCommitStore(PostgresDatabase database, PostgresCommitWriter writer) : ICommitStore
{
    public async Task<StoredGrain?> ReadAsync(GrainId id, CancellationToken cancellationToken) =>
        (await database.ListAsync(PostgresSql.ReadGrain, r => new StoredGrain(r.GetInt64(0), r.GetInt64(1), (byte[])r.GetValue(2)), cancellationToken,
            id.Type.ToString(), id.Key.ToString())).FirstOrDefault();

    public async Task<IReadOnlyDictionary<GrainId, StoredGrain>> ReadManyAsync(IReadOnlyList<GrainId> ids, CancellationToken cancellationToken)
    {
        var found = new Dictionary<GrainId, StoredGrain>();
        foreach (var group in ids.GroupBy(id => id.Type))
        {
            var type = group.Key.ToString();
            foreach (var (id, stored) in await database.ListAsync(PostgresSql.ReadGrains,
                         r => (GrainId.Create(type, r.GetString(0)), new StoredGrain(r.GetInt64(1), r.GetInt64(2), (byte[])r.GetValue(3))),
                         cancellationToken, type, group.Select(id => id.Key.ToString()).ToArray()))
            {
                found[id] = stored;
            }
        }
        return found;
    }

    public Task<CommitOutcome> CommitAsync(GrainCommit commit, CancellationToken cancellationToken) => writer.CommitAsync(commit);

    public async Task<EventPage> ReadEventsAsync(GrainId stream, long fromSeq, int maxEvents, int maxBytes, CancellationToken cancellationToken)
    {
        await using var command = database.Command(PostgresSql.ReadEvents, stream.ToString(), fromSeq, maxEvents);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var page = new EventPageBuilder(maxEvents, maxBytes);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (!page.TryAdd(reader.GetInt64(0), reader.GetString(1), (byte[])reader.GetValue(2), reader.GetInt64(3)))
            {
                return page.Build(full: true);
            }
        }
        return page.Build();
    }
}
