using FsCheck;
using FsCheck.Fluent;
using Levee.Grains.Executions;
using Xunit;

namespace Levee.Grains.Tests.Executions;

/// <summary>The exact, compact set of seen report sequence numbers.</summary>
public sealed class SeqWindowTests
{
    private static SeqWindow AddAll(params long[] seqs) => seqs.Aggregate(SeqWindow.Empty, (window, seq) => window.Add(seq));

    [Fact]
    public void Contains_EmptyWindow_FalseForPositiveSeqs()
    {
        Assert.False(SeqWindow.Empty.Contains(1));
        Assert.False(SeqWindow.Empty.Contains(long.MaxValue));
        Assert.Equal(0, SeqWindow.Empty.Contiguous);
        Assert.Empty(SeqWindow.Empty.Above);
    }

    [Fact]
    public void Add_InOrder_ExtendsThePrefix()
    {
        var window = AddAll(1, 2, 3);

        Assert.Equal(3, window.Contiguous);
        Assert.Empty(window.Above);
        Assert.True(window.Contains(1) && window.Contains(2) && window.Contains(3));
        Assert.False(window.Contains(4));
    }

    [Fact]
    public void Add_WithGap_KeepsNumbersAboveThePrefix()
    {
        var window = AddAll(1, 3, 5);

        Assert.Equal(1, window.Contiguous);
        Assert.Equal([3L, 5L], window.Above);
        Assert.False(window.Contains(2));
        Assert.False(window.Contains(4));
        Assert.True(window.Contains(5));
    }

    [Fact]
    public void Add_FillingTheGap_FoldsTheRunAboveIntoThePrefix()
    {
        var window = AddAll(4, 2, 3, 7);
        Assert.Equal(0, window.Contiguous);
        Assert.Equal([2L, 3L, 4L, 7L], window.Above);

        var folded = window.Add(1);

        Assert.Equal(4, folded.Contiguous);
        Assert.Equal([7L], folded.Above);
        Assert.False(folded.Contains(5));
    }

    [Fact]
    public void Add_SeenSeq_ReturnsTheSameWindow()
    {
        var window = AddAll(1, 2, 9);

        Assert.Same(window, window.Add(2));
        Assert.Same(window, window.Add(9));
    }

    [Fact]
    public void Equals_SameMembersAddedInAnotherOrder_EqualWithEqualHash()
    {
        var a = AddAll(5, 1, 3, 2);
        var b = AddAll(2, 3, 5, 1, 3);

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, AddAll(1, 2, 3, 6));
    }

    [Fact]
    public void Add_AnyPositiveSeqsInAnyOrder_ContainsExactlyTheSetAndIsOrderIndependent()
    {
        var seq = Gen.Frequency(
            (8, Gen.Choose(1, 40).Select(i => (long)i)),
            (1, Gen.Choose(1, int.MaxValue).Select(i => i * 3L)),
            (1, Gen.Elements(long.MaxValue, long.MaxValue - 1)));
        var cases =
            from seqs in Gen.ListOf(seq)
            from shuffled in Gen.Shuffle<long>(seqs)
            select (seqs: seqs.ToArray(), shuffled);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(cases.ToArbitrary(), x => AssertWindowIsTheSet(x.seqs, x.shuffled)));
    }

    private static void AssertWindowIsTheSet(long[] seqs, long[] shuffled)
    {
        var set = seqs.ToHashSet();
        var window = AddAll(seqs);

        foreach (var probe in Enumerable.Range(1, 45).Select(i => (long)i).Concat(set).Append(long.MaxValue).Append(long.MaxValue - 1))
        {
            Assert.Equal(set.Contains(probe), window.Contains(probe));
        }
        Assert.All(window.Above, above => Assert.True(above > window.Contiguous + 1));
        var other = AddAll(shuffled);
        Assert.Equal(window, other);
        Assert.Equal(window.GetHashCode(), other.GetHashCode());
    }
}
