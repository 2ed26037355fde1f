using System.Collections.Concurrent;
using Levee.Errors;
using Levee.Executions;
using Levee.Runtime;

namespace Levee.Silo.Queues;

/// <summary>
/// Claims executions for workers. Correctness comes from the execution grain: a claim is a
/// compare-and-set decision on "queued and due", so two claimers can never both win one attempt.
/// The in-memory reservations only keep this silo's concurrent claimers from all reaching for the
/// same oldest candidates (a thundering herd); across silos a losing claim is simply skipped.
/// </summary>
internal sealed class ExecutionQueue(IQueueStore store, IGrainFactory grains, QueueSignals signals, TimeProvider clock) : IExecutionQueue
{
    private readonly ConcurrentDictionary<string, byte> _reserved = new();

    public async Task<IReadOnlyList<ClaimView>> ClaimAsync(string tenant, string project, string queue, string workerId, int max, TimeSpan wait,
        CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + wait;
        while (true)
        {
            var generation = signals.Generation(tenant, project, queue);
            var (claims, contended) = await TryClaimAsync(tenant, project, queue, workerId, max);
            if (claims.Count > 0)
            {
                return claims;
            }
            var remaining = deadline - clock.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                return claims;
            }
            if (contended)
            {
                await Task.Yield();
            }
            else
            {
                await signals.WaitAsync(tenant, project, queue, generation, remaining, cancellationToken);
            }
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>One claim; a failure (e.g. storage) skips this execution instead of discarding the claims that succeeded.</summary>
    private async Task<Outcome<ClaimView>?> TryClaimOneAsync(string tenant, string project, string id, string workerId, DateTimeOffset now)
    {
        try
        {
            return await grains.GetGrain<IExecutionGrain>(ExecutionKey.For(tenant, project, id)).ClaimAsync(new ClaimExecution(workerId, ExecutionIds.New("lease", now)));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null;
        }
    }

    private async Task<(IReadOnlyList<ClaimView> Claims, bool Contended)> TryClaimAsync(string tenant, string project, string queue, string workerId, int max)
    {
        var now = clock.GetUtcNow();
        // Look past the candidates other claimers of this silo are holding right now.
        var candidates = store.Candidates(tenant, project, queue, now, max + Math.Min(_reserved.Count, 256));
        var mine = new List<string>(max);
        foreach (var id in candidates)
        {
            if (mine.Count == max)
            {
                break;
            }
            if (_reserved.TryAdd(ExecutionKey.For(tenant, project, id), 0))
            {
                mine.Add(id);
            }
        }
        try
        {
            var outcomes = await Task.WhenAll(mine.Select(id => TryClaimOneAsync(tenant, project, id, workerId, now)));
            var claims = outcomes.Where(o => o?.Kind == OutcomeKind.Applied).Select(o => o!.Value!).ToArray();
            // We reached for candidates and lost every race: others may be left, look again at once.
            // When other claimers of this silo hold every candidate, retrying would only spin: wait
            // for the queue's next signal instead (their claims either take the work or free it).
            return (claims, claims.Length == 0 && mine.Count > 0);
        }
        finally
        {
            foreach (var id in mine)
            {
                _reserved.TryRemove(ExecutionKey.For(tenant, project, id), out _);
            }
        }
    }
}
