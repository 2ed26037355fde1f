using System.Collections.Immutable;

namespace Levee.Grains.Executions;

/// <summary>
/// The set of per-attempt sequence numbers already seen, kept exactly and compactly: every
/// number up to <see cref="Contiguous"/>, plus the few seen above it. Reports arrive in any
/// order, so a high-water mark alone would drop late but new reports.
/// </summary>
/// <param name="Contiguous">All of 1..Contiguous have been seen.</param>
/// <param name="Above">Seen numbers greater than Contiguous + 1 (never Contiguous + 1 itself).</param>
internal sealed record SeqWindow(long Contiguous, ImmutableSortedSet<long> Above)
{
    /// <summary>Nothing seen yet.</summary>
    public static SeqWindow Empty { get; } = new(0, []);

    /// <summary>True when <paramref name="seq"/> was seen already.</summary>
    public bool Contains(long seq) => seq <= Contiguous || Above.Contains(seq);

    /// <summary>The window with <paramref name="seq"/> added, folding the run above into the prefix.</summary>
    public SeqWindow Add(long seq)
    {
        if (Contains(seq))
        {
            return this;
        }
        if (seq != Contiguous + 1)
        {
            return this with { Above = Above.Add(seq) };
        }
        var contiguous = seq;
        var above = Above;
        while (above.Contains(contiguous + 1))
        {
            contiguous++;
            above = above.Remove(contiguous);
        }
        return new SeqWindow(contiguous, above);
    }

    /// <summary>Value equality over the set's members (records compare the set by reference).</summary>
    public bool Equals(SeqWindow? other) =>
        other is not null && Contiguous == other.Contiguous && Above.SequenceEqual(other.Above);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Contiguous, Above.Count);
}
