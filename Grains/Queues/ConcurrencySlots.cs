namespace Levee.Grains.Queues;

/// <summary>
/// A queue's view of its concurrency-capped batches (<c>ceilings.maxConcurrency</c>): how many of
/// each batch's children hold a lease, and how many claims for them are in flight. Every claim of
/// a batch's children goes through its queue's one activation, so this is where the cap is held:
/// a claim reserves a slot synchronously (the grain runs one turn at a time), counting what the
/// index says plus what is in flight. Counts read from the index are never trusted to be newer
/// than the claims that finished while the read ran: those are added on top, so an error only
/// ever errs on the safe side (a slot held a little too long), and the next read corrects it.
/// </summary>
internal sealed class ConcurrencySlots
{
    /// <summary>Batches remembered per activation; beyond it the memory starts over (a cap is only re-read).</summary>
    private const int MaxBatches = 10_000;

    private readonly Dictionary<string, Slots> _slots = new(StringComparer.Ordinal);

    /// <summary>Remembers a capped batch of the queue (its cap never changes).</summary>
    public void Learn(string batchId, int cap)
    {
        if (_slots.Count >= MaxBatches && _slots.Values.All(s => s.InFlight == 0))
        {
            // Batches end; start over rather than grow (every round re-learns the live ones).
            _slots.Clear();
        }
        _slots.TryAdd(batchId, new Slots(cap));
    }

    /// <summary>
    /// Re-reads how many children of <paramref name="batchId"/> hold a lease; returns how many more
    /// may start now (0: the batch is full).
    /// </summary>
    public async Task<int> RefreshAsync(string batchId, Func<string, Task<int>> countLeased)
    {
        var slots = _slots[batchId];
        var releasesBefore = slots.Releases;
        var leased = await countLeased(batchId);
        // Claims that finished during the read may or may not be in it: count them once more.
        slots.Leased = leased + (int)(slots.Releases - releasesBefore);
        return Math.Max(0, slots.Cap - slots.Leased - slots.InFlight);
    }

    /// <summary>Takes a slot for a claim of a child of <paramref name="batchId"/>; false when none is free (no batch, or one not capped: true).</summary>
    public bool TryReserve(string? batchId)
    {
        if (batchId is null || !_slots.TryGetValue(batchId, out var slots))
        {
            return true;
        }
        if (slots.Leased + slots.InFlight >= slots.Cap)
        {
            return false;
        }
        slots.InFlight++;
        return true;
    }

    /// <summary>A reserved claim ended; <paramref name="claimed"/>: the child now holds a lease.</summary>
    public void Release(string? batchId, bool claimed)
    {
        if (batchId is null || !_slots.TryGetValue(batchId, out var slots))
        {
            return;
        }
        slots.InFlight--;
        slots.Releases++;
        if (claimed)
        {
            slots.Leased++;
        }
    }

    private sealed class Slots(int cap)
    {
        public int Cap { get; } = cap;
        public int Leased { get; set; }
        public int InFlight { get; set; }
        public long Releases { get; set; }
    }
}
