using FsCheck;
using FsCheck.Fluent;
using Levee.Batches;
using Levee.Errors;
using Levee.Executions;
using Levee.Grains.Batches;
using Xunit;
using static Levee.Grains.Tests.Batches.BatchGenerators;
using static Levee.Grains.Tests.Batches.BatchScenarios;

namespace Levee.Grains.Tests.Batches;

/// <summary>
/// Properties of the batch decider over random runs: a client streaming chunks (random chunking,
/// duplicates, re-sent chunks) interleaved with child outcomes delivered at least once in any
/// order, folded as the grain does (see <see cref="BatchShell"/>), optionally cancelled or timed out.
/// </summary>
public sealed class BatchDeciderProperties
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(500);

    /// <summary>What uninterrupted runs must reach for the property to mean something.</summary>
    private static readonly string[] IngestCoverage =
    [
        "pending", "processing", "completed", "partial_failed", "failed",
        "accept:applied", "accept:deduplicated", "accept:unchanged", "accept:retry-unchanged", "accept:seal", "accept:seal+finish",
        "child:counted-pending", "child:counted-processing", "child:duplicate", "child:finish",
        $"after:cancel:{ErrorCodes.TerminalState}",
    ];

    /// <summary>What interrupted runs must reach.</summary>
    private static readonly string[] InterruptCoverage =
    [
        "aborted", "cancel:aborted-pending", "cancel:aborted-processing", $"cancel:{ErrorCodes.TerminalState}",
        "seal-timeout:aborted", "seal-timeout:unchanged", "early-seal-timer:unchanged",
        $"accept:{ErrorCodes.BatchAborted}", "child:counted-aborted", "after:cancel:unchanged",
    ];

    /// <summary>What the retry property must probe.</summary>
    private static readonly string[] RetryCoverage =
    [
        "probe:pending", "probe:processing", "probe:completed", "probe:partial_failed", "probe:failed", "probe:aborted",
    ];

    [Fact]
    public void Ingest_AnyChunkingAndChildOrder_EndsTerminalExactlyOnceAndStaysThere()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);

        Check.One(Config, Prop.ForAll(Uninterrupted.ToArbitrary(), (BatchRun run) =>
        {
            var (shell, clock) = Drive(run, seen);

            var state = shell.State;
            Assert.NotEqual(BatchStatus.Aborted, state.Status);
            Assert.Equal(run.RunCount, state.Accepted);
            Assert.Equal(Enumerable.Range(0, run.RunCount), shell.Accepted.Order());
            Assert.True(state.Sealed);
            Assert.Equal(run.RunCount, state.Succeeded + state.Failed + state.Cancelled + state.TimedOut);
            AssertCountsMatch(run, shell.Counted, state);
            Assert.Equal(ExpectedEnding(state), state.Status);
            var finished = Assert.IsType<BatchFinished>(Assert.Single(shell.Log, e => e is BatchFinished or BatchAborted));
            Assert.Equal((state.Status, state.Succeeded, state.Failed, state.Cancelled, state.TimedOut),
                (finished.Status, finished.Succeeded, finished.Failed, finished.Cancelled, finished.TimedOut));
            Assert.Single(shell.Log.OfType<BatchSealed>());

            AfterTerminal(run, shell, clock, seen);
        }));

        Assert.Empty(IngestCoverage.Except(seen));
    }

    [Fact]
    public void Ingest_CancelOrSealTimeoutAnywhere_OneTerminalEventAndAbortedStaysAborted()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);

        Check.One(Config, Prop.ForAll(Interrupted.ToArbitrary(), (BatchRun run) =>
        {
            var (shell, clock) = Drive(run, seen);

            var state = shell.State;
            var terminal = Assert.Single(shell.Log, e => e is BatchFinished or BatchAborted);
            if (state.Status == BatchStatus.Aborted)
            {
                var aborted = Assert.IsType<BatchAborted>(terminal);
                Assert.Contains(run.Interruption, new[] { Interruption.Cancel, Interruption.SealTimeout });
                // Nothing was accepted after the abort; every child created before it was still counted.
                Assert.Equal(state.Accepted, aborted.EnqueuedCount);
                Assert.Equal(aborted.At, state.CompletedAt);
                Assert.True(state.Accepted <= run.RunCount);
                Assert.Equal(run.EarlyOutcomes ? run.RunCount : state.Accepted, state.Finished);
                AssertCountsMatch(run, shell.Counted, state);
            }
            else
            {
                Assert.IsType<BatchFinished>(terminal);
                Assert.Equal(run.RunCount, state.Finished);
                Assert.Equal(ExpectedEnding(state), state.Status);
                AssertCountsMatch(run, shell.Counted, state);
            }

            AfterTerminal(run, shell, clock, seen);
        }));

        Assert.Empty(InterruptCoverage.Except(seen));
    }

    [Fact]
    public void IsIdempotentRetry_OnEveryStateARunReaches_AgreesWithAcceptItems()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var scenarios =
            from run in Interrupted
            from probes in Gen.CollectToArray(Enumerable.Range(0, 8), _ => Probes(run.RunCount))
            select (run, probes);

        Check.One(Config, Prop.ForAll(scenarios.ToArbitrary(), ((BatchRun Run, int[][] Probes) x) =>
        {
            var visited = 0;
            Drive(x.Run, new HashSet<string>(StringComparer.Ordinal), (state, accepted) =>
            {
                var probe = x.Probes[visited++ % x.Probes.Length];
                var chunk = new AcceptItems([.. probe.Select(i => Item(i))]);
                var retry = BatchDecider.IsIdempotentRetry(state);
                seen.Add($"probe:{state.Status.ToWire()}");
                if (state.Status == BatchStatus.Pending)
                {
                    Assert.False(retry);
                    var decision = BatchDecider.Decide(state, chunk, new HashSet<int>(probe.Where(accepted.Contains)), Now.AddDays(1));
                    Assert.True(decision.Rejection is null || decision.Rejection.Code == ErrorCodes.ValidationFailed, decision.Rejection?.Code);
                    return;
                }
                Assert.Equal(state.Status != BatchStatus.Aborted, retry);
                // Whatever the shell read as taken, and whatever the chunk holds.
                foreach (var taken in new[] { new HashSet<int>(), new HashSet<int>(accepted), new HashSet<int>(probe) })
                {
                    var decision = BatchDecider.Decide(state, chunk, taken, Now.AddDays(1));
                    if (retry)
                    {
                        AssertUnchanged(decision);
                    }
                    else
                    {
                        AssertRejected(decision, ErrorCodes.BatchAborted, BatchStatus.Aborted);
                    }
                }
            });
        }));

        Assert.Empty(RetryCoverage.Except(seen));
    }

    // ---- The driver ---------------------------------------------------------------------------

    /// <summary>
    /// Plays <paramref name="run"/>: each step either ingests the next chunk or delivers one pending
    /// child message (messages of a child are released when its index is accepted, or at once when
    /// <see cref="BatchRun.EarlyOutcomes"/>), as the picks say. Checks each decision against an
    /// independent model and the invariants after it; <paramref name="observe"/> sees every state.
    /// </summary>
    private static (BatchShell Shell, DateTimeOffset Clock) Drive(BatchRun run, HashSet<string> seen, Action<BatchState, IReadOnlySet<int>>? observe = null)
    {
        var n = run.RunCount;
        var shell = new BatchShell(NewCreate(n));
        var clock = Now;
        var ingest = new Queue<int[]>(run.Chunks);
        var mailbox = new List<int>();
        var released = new bool[n];
        var interrupted = run.Interruption == Interruption.None;
        BatchStatus? terminal = null;
        if (run.EarlyOutcomes)
        {
            for (var i = 0; i < n; i++)
            {
                Release(i);
            }
        }
        observe?.Invoke(shell.State, shell.Accepted);

        for (var step = 0; ; step++)
        {
            if (!interrupted && step >= run.InterruptAt)
            {
                interrupted = true;
                clock = clock.AddSeconds(1);
                Checked(run, step, "interrupt", shell, () => Interrupt(run, shell, ref clock, seen), ref terminal);
                observe?.Invoke(shell.State, shell.Accepted);
            }
            if (ingest.Count == 0 && mailbox.Count == 0)
            {
                if (interrupted)
                {
                    return (shell, clock);
                }
                continue;
            }

            clock = clock.AddSeconds(1);
            var pick = step < run.Picks.Length ? run.Picks[step] : 0;
            if (ingest.Count > 0 && (mailbox.Count == 0 || pick % 2 == 0))
            {
                var chunk = ingest.Dequeue();
                var now = clock;
                Checked(run, step, $"accept [{string.Join(",", chunk)}]", shell, () => Accept(shell, chunk, now, seen), ref terminal);
                foreach (var index in shell.Accepted)
                {
                    Release(index);
                }
            }
            else
            {
                var k = (pick / 2) % mailbox.Count;
                var index = mailbox[k];
                mailbox.RemoveAt(k);
                var now = clock;
                Checked(run, step, $"child {index} {run.Outcomes[index].ToWire()}", shell, () => ChildFinished(shell, index, run.Outcomes[index], now, seen), ref terminal);
            }
            seen.Add(shell.State.Status.ToWire());
            observe?.Invoke(shell.State, shell.Accepted);
        }

        void Release(int index)
        {
            if (!released[index])
            {
                released[index] = true;
                mailbox.AddRange(Enumerable.Repeat(index, run.Copies[index]));
            }
        }
    }

    /// <summary>Runs one input, then the invariants; failures name the step.</summary>
    private static void Checked(BatchRun run, int step, string what, BatchShell shell, Func<BatchDecision> input, ref BatchStatus? terminal)
    {
        var before = shell.State;
        try
        {
            var decision = input();
            CheckInvariants(run, shell, decision, ref terminal);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                $"Step {step} ({what}) on {before.Status.ToWire()} accepted {before.Accepted} finished {before.Finished}: {e.Message}", e);
        }
    }

    private static BatchDecision Accept(BatchShell shell, int[] chunk, DateTimeOffset now, HashSet<string> seen)
    {
        var before = shell.State;
        var fresh = chunk.Distinct().Where(i => !shell.Accepted.Contains(i)).ToArray();
        var decision = shell.Accept(chunk, now);
        switch (before.Status)
        {
            case BatchStatus.Pending when fresh.Length == 0:
                AssertUnchanged(decision);
                seen.Add("accept:unchanged");
                break;
            case BatchStatus.Pending:
                Assert.Null(decision.Rejection);
                var items = Assert.IsType<BatchItemsAccepted>(decision.Events[0]);
                Assert.Equal(fresh, items.NewItems.Select(i => i.Index));
                Assert.Equal((fresh.Length, chunk.Length - fresh.Length, before.Accepted + fresh.Length), (items.Accepted, items.Deduplicated, items.EnqueuedCount));
                seen.Add("accept:applied");
                if (items.Deduplicated > 0)
                {
                    seen.Add("accept:deduplicated");
                }
                var seals = items.EnqueuedCount == before.RunCount;
                var finishes = seals && before.Finished == before.RunCount;
                Assert.Equal(seals ? finishes ? 3 : 2 : 1, decision.Events.Count);
                if (seals)
                {
                    Assert.Equal(new BatchSealed(now, before.RunCount), decision.Events[1]);
                    seen.Add(finishes ? "accept:seal+finish" : "accept:seal");
                }
                if (finishes)
                {
                    Assert.IsType<BatchFinished>(decision.Events[2]);
                }
                break;
            case BatchStatus.Aborted:
                AssertRejected(decision, ErrorCodes.BatchAborted, BatchStatus.Aborted);
                seen.Add($"accept:{ErrorCodes.BatchAborted}");
                break;
            default:
                AssertUnchanged(decision);
                seen.Add("accept:retry-unchanged");
                break;
        }
        return decision;
    }

    private static BatchDecision ChildFinished(BatchShell shell, int index, ExecutionStatus outcome, DateTimeOffset now, HashSet<string> seen)
    {
        var before = shell.State;
        var counted = shell.Counted.Contains(index);
        var decision = shell.ChildFinished(index, outcome, now);
        if (counted)
        {
            AssertUnchanged(decision);
            seen.Add("child:duplicate");
            return decision;
        }
        Assert.Null(decision.Rejection);
        Assert.Equal(new BatchChildFinished(now, index, outcome), decision.Events[0]);
        seen.Add($"child:counted-{before.Status.ToWire()}");
        var finishes = before.Status == BatchStatus.Processing && before.Finished + 1 == before.RunCount;
        Assert.Equal(finishes ? 2 : 1, decision.Events.Count);
        if (finishes)
        {
            Assert.IsType<BatchFinished>(decision.Events[1]);
            seen.Add("child:finish");
        }
        return decision;
    }

    private static BatchDecision Interrupt(BatchRun run, BatchShell shell, ref DateTimeOffset clock, HashSet<string> seen)
    {
        var before = shell.State;
        BatchDecision decision;
        switch (run.Interruption)
        {
            case Interruption.Cancel:
                decision = shell.Cancel(clock);
                if (before.Status is BatchStatus.Pending or BatchStatus.Processing)
                {
                    Assert.Equal(new BatchAborted(clock, AbortReason.Cancelled, "user", before.Accepted), Assert.Single(decision.Events));
                    seen.Add($"cancel:aborted-{before.Status.ToWire()}");
                }
                else
                {
                    AssertRejected(decision, ErrorCodes.TerminalState, before.Status);
                    seen.Add($"cancel:{ErrorCodes.TerminalState}");
                }
                break;
            case Interruption.SealTimeout:
                clock = clock < before.SealDeadline ? before.SealDeadline : clock;
                decision = shell.SealTimeout(clock);
                if (before.Status == BatchStatus.Pending)
                {
                    Assert.Equal(new BatchAborted(clock, AbortReason.SealTimeout, $"not sealed within {before.SealTimeoutMs} ms", before.Accepted), Assert.Single(decision.Events));
                    seen.Add("seal-timeout:aborted");
                }
                else
                {
                    AssertUnchanged(decision);
                    seen.Add("seal-timeout:unchanged");
                }
                break;
            default:
                Assert.True(clock < before.SealDeadline);
                decision = shell.SealTimeout(clock);
                AssertUnchanged(decision);
                seen.Add("early-seal-timer:unchanged");
                break;
        }
        return decision;
    }

    private static void CheckInvariants(BatchRun run, BatchShell shell, BatchDecision decision, ref BatchStatus? terminal)
    {
        var n = run.RunCount;
        var state = shell.State;
        if (decision.Rejection is not null)
        {
            Assert.Empty(decision.Events);
        }
        Assert.Equal(n, state.RunCount);
        Assert.Equal(shell.Accepted.Count, state.Accepted);
        Assert.InRange(state.Accepted, 0, n);
        Assert.Equal(shell.Counted.Count, state.Finished);
        if (!run.EarlyOutcomes)
        {
            Assert.Subset(new HashSet<int>(shell.Accepted), new HashSet<int>(shell.Counted));
        }
        if (state.Sealed)
        {
            Assert.Equal(n, state.Accepted);
        }
        if (state.Status != BatchStatus.Aborted)
        {
            Assert.Equal(state.Accepted == n, state.Sealed);
            Assert.Equal(!state.Sealed ? BatchStatus.Pending : state.Finished < n ? BatchStatus.Processing : ExpectedEnding(state), state.Status);
        }
        Assert.Equal(state.IsTerminal, state.CompletedAt is not null);
        Assert.Equal(state.Status is not (BatchStatus.Pending or BatchStatus.Aborted), BatchDecider.IsIdempotentRetry(state));

        // Once terminal, the status never changes; only an aborted batch still counts children.
        if (terminal is { } was)
        {
            Assert.Equal(was, state.Status);
            Assert.All(decision.Events, e => Assert.True(was == BatchStatus.Aborted && e is BatchChildFinished, $"{e.LogType} after {was.ToWire()}"));
        }
        else if (state.IsTerminal)
        {
            terminal = state.Status;
        }
        Assert.Equal(state.IsTerminal ? 1 : 0, shell.Log.Count(e => e is BatchFinished or BatchAborted));
        Assert.Equal(state.Sealed ? 1 : 0, shell.Log.Count(e => e is BatchSealed));
    }

    /// <summary>
    /// Every further input to a terminal batch is unchanged or rejected, and the state (the fold of
    /// the whole log) stays as it is.
    /// </summary>
    private static void AfterTerminal(BatchRun run, BatchShell shell, DateTimeOffset clock, HashSet<string> seen)
    {
        var state = shell.State;
        Assert.True(state.IsTerminal);
        Assert.Equal(state, BatchDecider.Fold(null, shell.Log));
        var aborted = state.Status == BatchStatus.Aborted;
        var later = clock.AddDays(2);

        foreach (var chunk in run.Chunks.Append([.. Enumerable.Range(0, run.RunCount)]))
        {
            var decision = shell.Accept(chunk, later);
            if (aborted)
            {
                AssertRejected(decision, ErrorCodes.BatchAborted, BatchStatus.Aborted);
            }
            else
            {
                AssertUnchanged(decision);
            }
        }
        foreach (var index in shell.Counted.ToArray())
        {
            AssertUnchanged(shell.ChildFinished(index, run.Outcomes[index], later));
        }
        var cancel = shell.Cancel(later);
        if (aborted)
        {
            AssertUnchanged(cancel);
            seen.Add("after:cancel:unchanged");
        }
        else
        {
            AssertRejected(cancel, ErrorCodes.TerminalState, state.Status);
            seen.Add($"after:cancel:{ErrorCodes.TerminalState}");
        }
        AssertUnchanged(shell.SealTimeout(later));
        AssertUnchanged(shell.SealTimeout(state.SealDeadline));
        AssertUnchanged(BatchDecider.Decide(state, NewCreate(run.RunCount), MaxRunCount, later));

        Assert.Same(state, shell.State);
        seen.Add(state.Status.ToWire());
    }

    private static BatchStatus ExpectedEnding(BatchState state) =>
        state.Succeeded == state.RunCount ? BatchStatus.Completed : state.Succeeded == 0 ? BatchStatus.Failed : BatchStatus.PartialFailed;

    /// <summary>Each bucket holds exactly the counted children with that outcome.</summary>
    private static void AssertCountsMatch(BatchRun run, IReadOnlySet<int> counted, BatchState state)
    {
        long Count(ExecutionStatus outcome) => counted.Count(i => run.Outcomes[i] == outcome);

        Assert.Equal(
            (Count(ExecutionStatus.Succeeded), Count(ExecutionStatus.Failed), Count(ExecutionStatus.Cancelled), Count(ExecutionStatus.TimedOut)),
            (state.Succeeded, state.Failed, state.Cancelled, state.TimedOut));
    }
}
