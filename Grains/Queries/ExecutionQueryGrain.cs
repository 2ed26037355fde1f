using System.Globalization;
using System.Text;
using Levee.Errors;
using Levee.Executions;
using Levee.Grains.Batches;
using Levee.Grains.Executions;
using Levee.Grains.Storage;
using Levee.Queues;
using Orleans.Concurrency;

namespace Levee.Grains.Queries;

/// <summary>
/// Lists executions from the index rows and state rows the commits wrote, without activating
/// the grains listed. A stateless worker: it runs on the caller's silo, in parallel.
/// </summary>
[GrainType("query"), StatelessWorker]
internal sealed class ExecutionQueryGrain(IExecutionIndex index, IBatchChildren children, ICommitStore store, TimeProvider clock) : Grain, IExecutionQueryGrain
{
    /// <summary>Most queues listed: a view for people, not an export.</summary>
    private const int MaxQueues = 500;

    public async Task<bool> AnyClaimableAsync(string tenant, string project, string queue)
    {
        var now = clock.GetUtcNow();
        if ((await index.NextClaimsAsync(tenant, project, queue, now, 1, CancellationToken.None)).Count > 0)
        {
            return true;
        }
        // Children of capped batches are claimed per batch; whether a slot is free is the queue's to say.
        foreach (var batch in (await index.CappedBatchesAsync(tenant, project, queue, CancellationToken.None)).Keys)
        {
            if ((await index.CappedClaimsAsync(tenant, project, queue, batch, now, 1, CancellationToken.None)).Count > 0)
            {
                return true;
            }
        }
        return false;
    }

    public async Task<Outcome<Page<ExecutionView>>> ListAsync(ExecutionListQuery query)
    {
        if (!TryDecodeCursor(query.Cursor, out var afterCreated, out var afterId))
        {
            return Outcome<Page<ExecutionView>>.Rejected(Rejection.Invalid("cursor", "cursor is not a cursor this server issued."));
        }
        var rows = await index.ListAsync(ExecutionGrain.TypeName, query, afterCreated, afterId, query.Limit + 1, CancellationToken.None);
        var more = rows.Count > query.Limit;
        var page = more ? rows.Take(query.Limit).ToArray() : rows;
        var next = more ? EncodeCursor(page[^1].CreatedAt, page[^1].Id) : null;
        return Outcome<Page<ExecutionView>>.Applied(new Page<ExecutionView>(page.Select(r => ExecutionCodec.ToView(r.State)).ToArray(), next));
    }

    public async Task<Outcome<Page<ExecutionView>>> ListBatchChildrenAsync(string tenant, string project, string batchId, string? cursor, int limit)
    {
        var from = 0;
        if (cursor is not null && (!int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out from) || from < 0))
        {
            return Outcome<Page<ExecutionView>>.Rejected(Rejection.Invalid("cursor", "cursor is not a cursor this server issued."));
        }
        var rows = await children.ChildrenAsync(BatchGrain.IdOf(new ResourceKey(tenant, project, batchId)), from, limit + 1, CancellationToken.None);
        var page = rows.Take(limit).ToArray();
        var ids = page.Select(index => ExecutionGrain.IdOf(new ResourceKey(tenant, project, BatchCommits.ChildId(batchId, index)))).ToArray();
        var states = await store.ReadManyAsync(ids, CancellationToken.None);
        var items = ids
            .Select(id => states.TryGetValue(id, out var state) ? ExecutionCodec.ToView(state) : null)
            .OfType<ExecutionView>()
            .ToArray();
        var next = rows.Count > limit ? rows[limit].ToString(CultureInfo.InvariantCulture) : null;
        return Outcome<Page<ExecutionView>>.Applied(new Page<ExecutionView>(items, next));
    }

    public async Task<IReadOnlyList<QueueDepthView>> ListQueueDepthsAsync(string tenant, string project) =>
        (await index.QueueDepthsAsync(tenant, project, clock.GetUtcNow(), MaxQueues, CancellationToken.None))
        .Select(q => new QueueDepthView(q.Queue, q.Depth, q.Ready,
            q.OldestReadyAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null))
        .ToArray();

    public Task<IReadOnlyList<string>> ListBatchesInFlightAsync(string tenant, string project, int limit) =>
        index.BatchesInFlightAsync(tenant, project, limit, CancellationToken.None);

    private static string EncodeCursor(long created, string id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{created.ToString(CultureInfo.InvariantCulture)}|{id}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecodeCursor(string? cursor, out long? created, out string? id)
    {
        (created, id) = (null, null);
        if (cursor is null)
        {
            return true;
        }
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            (created, id) = (long.Parse(text[..bar], NumberStyles.None, CultureInfo.InvariantCulture), text[(bar + 1)..]);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentOutOfRangeException or OverflowException)
        {
            return false;
        }
    }
}
