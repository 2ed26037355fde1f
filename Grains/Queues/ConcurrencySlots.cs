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

    /// <summary>Batch id → its cap, or null for a batch without one.</summary>
    private readonly Dictionary<string, int?> _caps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Slots> _slots = new(StringComparer.Ordinal);

    /// <summary>True when the batch's cap is known (null: none).</summary>
    public bool Knows(string batchId) => _caps.ContainsKey(batchId);

    /// <summary>Remembers a batch's cap (read from the batch once per activation; caps never change).</summary>
    public void Learn(string batchId, int? cap)
    {
        if (_caps.Count >= MaxBatches && _slots.Values.All(s => s.InFlight == 0))
        {
            _caps.Clear();
            _slots.Clear();
        }
        _caps[batchId] = cap;
        if (cap is not null)
        {
            _slots.TryAdd(batchId, new Slots(cap.Value));
        }
    }

    /// <summary>The capped batches this queue has seen.</summary>
    public IReadOnlyCollection<string> Capped => _slots.Keys;

    /// <summary>
    /// Re-reads how many children of <paramref name="batchId"/> hold a lease; true when the batch
    /// is full (no claim of its children may start).
    /// </summary>
    public async Task<bool> RefreshAsync(string batchId, Func<string, Task<int>> countLeased)
    {
        var slots = _slots[batchId];
        var releasesBefore = slots.Releases;
        var leased = await countLeased(batchId);
        // Claims that finished during the read may or may not be in it: count them once more.
        slots.Leased = leased + (int)(slots.Releases - releasesBefore);
        return slots.Leased + slots.InFlight >= slots.Cap;
    }

    /// <summary>Takes a slot for a claim of a child of <paramref name="batchId"/>; false when none is free (or the batch has no cap: true).</summary>
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
