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
