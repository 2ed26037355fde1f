using System.Diagnostics;
using Levee.Executions;
using Levee.Streams;

namespace Levee.Queues;

/// <summary>
/// The long-poll claim: short grain calls and a wait on the queue's notifications in between,
/// so no grain call ever waits out the poll (Orleans times calls out after 30 s, and a grain
/// holding a waiting call would block every other caller).
/// </summary>
public sealed class QueueClaimer(IGrainFactory grains, GrainWatchHub hub)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ResourceKey, int> _waiting = new();

    /// <summary>Long-poll claims of the queue waiting in this process now (what the dashboard shows as claimers waiting).</summary>
    public int Waiting(ResourceKey queue) => _waiting.TryGetValue(queue, out var count) ? count : 0;

    /// <summary>
    /// Claims up to <paramref name="max"/> executions of the queue, waiting up to <paramref name="wait"/> for one.
    /// <paramref name="cancellationToken"/> ends the wait (an <see cref="OperationCanceledException"/>),
    /// never a claim round in flight.
    /// </summary>
    public async Task<IReadOnlyList<ClaimView>> ClaimAsync(string tenant, string project, string queue, string workerId, int max, TimeSpan wait,
        CancellationToken cancellationToken)
    {
        if (wait <= TimeSpan.Zero && !await grains.Grain<IExecutionQueryGrain>(IExecutionQueryGrain.Key).AnyClaimableAsync(tenant, project, queue))
        {
            // Nothing to claim: answered by a stateless reader, so the queue's grain is not activated for it.
            return [];
        }
        var grain = grains.Grain<IQueueGrain>(new ResourceKey(tenant, project, queue));
        if (wait <= TimeSpan.Zero)
        {
            return (await grain.ClaimAsync(workerId, max)).Claims;
        }
        var key = new ResourceKey(tenant, project, queue);
        _waiting.AddOrUpdate(key, 1, (_, count) => count + 1);
        try
        {
            return await WaitForClaimsAsync(grain, workerId, max, wait, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Removed only while still zero (an atomic compare-and-remove), so a claimer arriving meanwhile is never lost.
            if (_waiting.AddOrUpdate(key, 0, (_, count) => count - 1) == 0)
            {
                _waiting.TryRemove(KeyValuePair.Create(key, 0));
            }
        }
    }

    private async Task<IReadOnlyList<ClaimView>> WaitForClaimsAsync(IQueueGrain grain, string workerId, int max, TimeSpan wait,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var watch = hub.Watch(grain.GetGrainId());
        await watch.Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var seen = watch.Version;
            // Not abandoned on cancel: a round is one short grain call, and what it claimed is
            // returned rather than left running under a lease nobody holds until it expires
            // (which would cost the execution an attempt). Cancelling ends the wait below.
            var round = await grain.ClaimAsync(workerId, max).ConfigureAwait(false);
            var remaining = wait - Stopwatch.GetElapsedTime(started);
            if (round.Claims.Count > 0 || remaining <= TimeSpan.Zero)
            {
                return round.Claims;
            }
            if (round.Contended)
            {
                await Task.Yield();
                continue;
            }
            // Woken by the queue; and at least every ReRead whatever it said (a due time passing, a lost notification).
            await watch.WaitAsync(seen, remaining < WatchRenewal.ReRead ? remaining : WatchRenewal.ReRead, cancellationToken).ConfigureAwait(false);
        }
    }
}
