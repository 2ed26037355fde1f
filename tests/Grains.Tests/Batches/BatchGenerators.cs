using FsCheck;
using FsCheck.Fluent;
using Levee.Batches;
using Levee.Executions;
using Levee.Grains.Batches;
using static Levee.Grains.Tests.Batches.BatchScenarios;

namespace Levee.Grains.Tests.Batches;

/// <summary>What, besides ingest and children, happens to a generated batch run.</summary>
internal enum Interruption
{
    None,
    /// <summary>A client cancels.</summary>
    Cancel,
    /// <summary>The seal timer fires at (or after) the deadline.</summary>
    SealTimeout,
    /// <summary>A seal timer fires before the deadline (a stale or early timer).</summary>
    EarlySealTimer,
}

/// <summary>
/// A generated batch run: the chunks a client streams (random chunking, duplicates, whole chunks
/// re-sent), each child's outcome and how many times its message is delivered, and the picks that
/// interleave ingest with deliveries. <see cref="EarlyOutcomes"/>: child messages may arrive
/// before their index is accepted (the decider allows it; the shell never does), which is how the
/// seal and the terminal event end up in one decision.
/// </summary>
internal sealed record BatchRun(
    int RunCount, int[][] Chunks, ExecutionStatus[] Outcomes, int[] Copies, int[] Picks, bool EarlyOutcomes, Interruption Interruption, int InterruptAt)
{
    public override string ToString() =>
        $"BatchRun {{ RunCount = {RunCount}, EarlyOutcomes = {EarlyOutcomes}, "
        + (Interruption == Interruption.None ? "no interruption,\n" : $"{Interruption} before step {InterruptAt},\n")
        + $"    Chunks = {string.Join(" ", Chunks.Select(c => $"[{string.Join(",", c)}]"))},\n"
        + $"    Outcomes = {string.Join(",", Outcomes.Select((o, i) => $"{i}:{o.ToWire()}x{Copies[i]}"))},\n"
        + $"    Picks = {string.Join(",", Picks)} }}";
}

/// <summary>FsCheck generators of batch runs.</summary>
internal static class BatchGenerators
{
    /// <summary>Largest generated run count.</summary>
    public const int MaxGeneratedRunCount = 50;

    /// <summary>The indexes 0..n-1 in random order, cut into random non-empty chunks, each with random duplicates, then whole chunks re-sent later.</summary>
    public static Gen<int[][]> Chunking(int n) =>
        from order in Gen.Shuffle(Enumerable.Range(0, n))
        from cutCount in Gen.Choose(0, Math.Min(n - 1, 12))
        from cuts in Gen.CollectToArray(Enumerable.Range(0, cutCount), _ => Gen.Choose(1, Math.Max(1, n - 1)))
        from chunks in Gen.CollectToArray(Split(order, cuts), chunk => WithDuplicates(chunk, n))
        from resendCount in Gen.Frequency((2, Gen.Constant(0)), (1, Gen.Choose(1, 4)))
        from resends in Gen.CollectToArray(Enumerable.Range(0, resendCount), _ => from source in Gen.Choose(0, 1_000) from at in Gen.Choose(0, 1_000) select (source, at))
        select Resend(chunks, resends);

    private static Gen<int[]> WithDuplicates(int[] chunk, int n) =>
        from extra in Gen.Frequency((2, Gen.Constant(0)), (1, Gen.Choose(1, 4)))
        from duplicates in Gen.CollectToArray(Enumerable.Range(0, extra), _ => Gen.Frequency((3, Gen.Elements(chunk)), (1, Gen.Choose(0, n - 1))))
        from shuffled in Gen.Shuffle(chunk.Concat(duplicates))
        select shuffled;

    private static IEnumerable<int[]> Split(int[] order, int[] cuts)
    {
        var from = 0;
        foreach (var cut in cuts.Distinct().Order())
        {
            yield return order[from..cut];
            from = cut;
        }
        yield return order[from..];
    }

    /// <summary>Each re-send copies some chunk to a random later position.</summary>
    private static int[][] Resend(int[][] chunks, (int Source, int At)[] resends)
    {
        var list = chunks.ToList();
        foreach (var (source, at) in resends)
        {
            var s = source % list.Count;
            list.Insert(s + 1 + (at % (list.Count - s)), list[s]);
        }
        return [.. list];
    }

    /// <summary>All succeed, any mix, or none succeed, so that every terminal status is common.</summary>
    public static Gen<ExecutionStatus[]> Outcomes(int n) =>
        from mode in Gen.Elements(0, 1, 1, 2)
        from outcomes in Gen.CollectToArray(Enumerable.Range(0, n), _ => mode switch
        {
            0 => Gen.Constant(ExecutionStatus.Succeeded),
            1 => Gen.Elements<ExecutionStatus>(TerminalOutcomes),
            _ => Gen.Elements(ExecutionStatus.Failed, ExecutionStatus.Cancelled, ExecutionStatus.TimedOut),
        })
        select outcomes;

    public static Gen<BatchRun> Runs(Gen<Interruption> interruptions) =>
        from n in Gen.Frequency((1, Gen.Choose(1, 3)), (4, Gen.Choose(1, MaxGeneratedRunCount)))
        from chunks in Chunking(n)
        from outcomes in Outcomes(n)
        from copies in Gen.CollectToArray(Enumerable.Range(0, n), _ => Gen.Frequency((3, Gen.Constant(1)), (2, Gen.Choose(2, 3))))
        from picks in Gen.CollectToArray(Enumerable.Range(0, chunks.Length + copies.Sum()), _ => Gen.Choose(0, 999))
        from early in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        from interruption in interruptions
        from at in Gen.Choose(0, picks.Length)
        select new BatchRun(n, chunks, outcomes, copies, picks, early, interruption, at);

    public static Gen<BatchRun> Uninterrupted { get; } = Runs(Gen.Constant(Interruption.None));

    public static Gen<BatchRun> Interrupted { get; } =
        Runs(Gen.Elements(Interruption.None, Interruption.Cancel, Interruption.Cancel, Interruption.SealTimeout, Interruption.SealTimeout, Interruption.EarlySealTimer));

    /// <summary>Phase-2 requests of any shape: empty, in range, out of range.</summary>
    public static Gen<int[]> Probes(int n) =>
        from length in Gen.Choose(0, 5)
        from indexes in Gen.CollectToArray(Enumerable.Range(0, length), _ => Gen.Frequency((4, Gen.Choose(0, n - 1)), (1, Gen.Choose(-3, n + 3))))
        select indexes;
}

/// <summary>
/// The batch grain's bookkeeping around <see cref="BatchDecider"/>, without storage: the accepted
/// indexes (the children's dedupe rows) and the counted children (their <c>reported</c> flag), both
/// updated only from committed events, and the decider's inputs read from them as the grain does.
/// </summary>
internal sealed class BatchShell
{
    private readonly HashSet<int> _accepted = [];
    private readonly HashSet<int> _counted = [];

    public BatchShell(CreateBatch create)
    {
        var created = BatchDecider.Decide(null, create, MaxRunCount, Now);
        Xunit.Assert.Null(created.Rejection);
        Log.AddRange(created.Events);
        State = BatchDecider.Fold(null, created.Events)!;
    }

    public BatchState State { get; private set; }

    /// <summary>Every committed event, in order.</summary>
    public List<BatchEvent> Log { get; } = [];

    public IReadOnlySet<int> Accepted => _accepted;

    public IReadOnlySet<int> Counted => _counted;

    /// <summary>As the grain: the taken indexes among the chunk's are read only while the batch is pending.</summary>
    public BatchDecision Accept(IReadOnlyList<int> indexes, DateTimeOffset now)
    {
        var chunk = new AcceptItems([.. indexes.Select(i => Item(i, i % 3 == 0 ? "thumbnail" : null))]);
        var taken = State.Status == BatchStatus.Pending ? new HashSet<int>(indexes.Where(_accepted.Contains)) : [];
        return Commit(BatchDecider.Decide(State, chunk, taken, now));
    }

    public BatchDecision ChildFinished(int index, ExecutionStatus outcome, DateTimeOffset now) =>
        Commit(BatchDecider.ChildFinished(State, index, outcome, _counted.Contains(index), now));

    public BatchDecision Cancel(DateTimeOffset now) => Commit(BatchDecider.Decide(State, new CancelBatch("user"), now));

    public BatchDecision SealTimeout(DateTimeOffset now) => Commit(BatchDecider.SealTimeout(State, now));

    private BatchDecision Commit(BatchDecision decision)
    {
        if (decision.Rejection is null && decision.Events.Count > 0)
        {
            State = Levee.Grains.Tests.Serialization.StoredRoundTrip.Stored(BatchDecider.Fold(State, decision.Events))!;
            Log.AddRange(decision.Events);
            foreach (var @event in decision.Events)
            {
                switch (@event)
                {
                    case BatchItemsAccepted items:
                        foreach (var item in items.NewItems)
                        {
                            Xunit.Assert.True(_accepted.Add(item.Index), $"index {item.Index} accepted twice");
                        }
                        break;
                    case BatchChildFinished child:
                        Xunit.Assert.True(_counted.Add(child.Index), $"child {child.Index} counted twice");
                        break;
                }
            }
        }
        return decision;
    }
}
