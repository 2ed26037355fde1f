using Levee.Errors;
using Levee.Executions;
using Levee.Grains.Storage;
using Levee.Grains.Streams;
using Levee.Queues;
using Levee.Streams;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace Levee.Grains.Queues;

/// <summary>
/// One work queue. Correctness comes from the execution grains: a claim is each execution's
/// compare-and-set decision on "queued and due", so two claimers never both win one attempt.
/// The queue reads the claimable candidates from the execution index and keeps, in memory only,
/// the candidates its claims in flight are reaching for, so concurrent claimers spread over the
/// oldest work instead of all racing for the same rows. It is reentrant for that reason: claims
/// interleave at their awaits, on one thread. It also holds the concurrency caps of its batches
/// (<see cref="ConcurrencySlots"/>): all claims of a batch's children come through here. It holds
/// no durable state, and a queue with no work and no watchers deactivates at once.
/// </summary>
[GrainType("queue"), Reentrant]
internal sealed class QueueGrain : Grain, IQueueGrain
{
    /// <summary>Most candidates read past the ones other claims hold; beyond it a claim reports contention and tries again.</summary>
    private const int MaxLookPast = 10_000;

    private readonly IExecutionIndex _index;
    private readonly TimeProvider _clock;
    private readonly ResourceKey _key;
    private readonly HashSet<string> _reserved = new(StringComparer.Ordinal);
    private readonly ConcurrencySlots _slots = new();
    private readonly Watchers _watchers;
    private long _generation;

    public QueueGrain(IExecutionIndex index, TimeProvider clock, ILogger<QueueGrain> logger)
    {
        (_index, _clock) = (index, clock);
        _key = ResourceKey.Parse(this.GetPrimaryKeyString());
        _watchers = new Watchers(logger);
    }

    public async Task<ClaimRound> ClaimAsync(string workerId, int max)
    {
        var now = _clock.GetUtcNow();
        var lookPast = Math.Min(_reserved.Count, MaxLookPast);
        var candidates = await CandidatesAsync(now, max + lookPast);
        var mine = new List<ClaimCandidate>(Math.Min(max, candidates.Count));
        foreach (var candidate in candidates)
        {
            if (mine.Count == max)
            {
                break;
            }
            if (!_reserved.Contains(candidate.Id) && _slots.TryReserve(candidate.CappedBatch))
            {
                _reserved.Add(candidate.Id);
                mine.Add(candidate);
            }
        }
        var claims = new List<ClaimView>(mine.Count);
        var failed = false;
        try
        {
            var outcomes = await Task.WhenAll(mine.Select(async candidate =>
            {
                var outcome = await TryClaimOneAsync(candidate.Id, workerId, now);
                _slots.Release(candidate.CappedBatch, claimed: outcome is { Kind: OutcomeKind.Applied });
                return outcome;
            }));
            foreach (var outcome in outcomes)
            {
                if (outcome is { Kind: OutcomeKind.Applied, Value: { } claim })
                {
                    claims.Add(claim);
                }
                failed |= outcome is null;
            }
        }
        finally
        {
            foreach (var candidate in mine)
            {
                _reserved.Remove(candidate.Id);
            }
        }
        if (failed)
        {
            // A reserved candidate that could not be claimed may still be claimable: claimers
            // that looked past it while it was reserved must look again.
            Wake();
        }
        if (candidates.Count == 0 && _watchers.Count == 0 && _reserved.Count == 0)
        {
            // Nothing to do and nobody waiting: leave nothing behind (a poll of an empty queue with waitMs 0 costs no lasting memory).
            DeactivateOnIdle();
        }
        // Candidates were there but others won every race (or held every one): look again at once.
        var contended = claims.Count == 0 && (mine.Count > 0 || (candidates.Count == max + lookPast && lookPast == MaxLookPast));
        return new ClaimRound(claims, contended);
    }

    public Task ReadyAsync()
    {
        Wake();
        return Task.CompletedTask;
    }

    public Task WatchAsync(IWatcher watcher)
    {
        _watchers.Add(watcher);
        return Task.CompletedTask;
    }

    public Task UnwatchAsync(IWatcher watcher)
    {
        _watchers.Remove(watcher);
        return Task.CompletedTask;
    }

    private void Wake() => _watchers.Notify(this.GetGrainId(), ++_generation);

    /// <summary>
    /// The queue's claimable work, oldest due first: its other executions, and the children of
    /// each capped batch that has a free slot, as many as its free slots (each count re-read).
    /// </summary>
    private async Task<List<ClaimCandidate>> CandidatesAsync(DateTimeOffset now, int limit)
    {
        var candidates = new List<ClaimCandidate>(await _index.NextClaimsAsync(_key.Tenant, _key.Project, _key.Id, now, limit, CancellationToken.None));
        foreach (var (batch, cap) in await _index.CappedBatchesAsync(_key.Tenant, _key.Project, _key.Id, CancellationToken.None))
        {
            _slots.Learn(batch, cap);
            var free = await _slots.RefreshAsync(batch, b => _index.CountLeasedAsync(_key.Tenant, _key.Project, b, CancellationToken.None));
            if (free > 0)
            {
                candidates.AddRange(await _index.CappedClaimsAsync(_key.Tenant, _key.Project, _key.Id, batch, now, Math.Min(free, limit) + _reserved.Count,
                    CancellationToken.None));
            }
        }
        candidates.Sort(static (a, b) => a.AvailableAt != b.AvailableAt ? a.AvailableAt.CompareTo(b.AvailableAt) : string.CompareOrdinal(a.Id, b.Id));
        return candidates;
    }

    /// <summary>One claim; a failure (e.g. storage) skips this execution instead of discarding the claims that succeeded.</summary>
    private async Task<Outcome<ClaimView>?> TryClaimOneAsync(string id, string workerId, DateTimeOffset now)
    {
        try
        {
            return await GrainFactory.Grain<IExecutionGrain>(_key.With(id))
                .ClaimAsync(new ClaimExecution(workerId, ExecutionIds.New("lease", now)));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null;
        }
    }
}
