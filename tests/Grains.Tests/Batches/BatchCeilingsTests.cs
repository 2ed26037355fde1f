using FsCheck;
using FsCheck.Fluent;
using Levee.Batches;
using Levee.Errors;
using Levee.Executions;
using Levee.Grains.Batches;
using Levee.Grains.Storage;
using Xunit;
using static Levee.Executions.ExecutionStatus;
using static Levee.Grains.Tests.Batches.BatchScenarios;

namespace Levee.Grains.Tests.Batches;

/// <summary>Deadline, failure rate, consecutive failures and budget: what each ceiling does, and what it leaves alone.</summary>
public sealed class BatchCeilingsTests
{
    private static BatchState Sealed(int runCount, BatchCeilings ceilings) =>
        Created(runCount, NewCreate(runCount) with { Ceilings = ceilings }).Accept([.. Enumerable.Range(0, runCount)]);

    private static BatchState Finish(BatchState state, int index, ExecutionStatus outcome, decimal? cost = null) =>
        state.Then(BatchDecider.ChildFinished(state, index, outcome, alreadyCounted: false, Now.AddSeconds(2), cost));

    private static BatchAborted Aborted(BatchDecision decision) => Assert.IsType<BatchAborted>(decision.Events[^1]);

    [Fact]
    public void Create_CeilingsAreRecordedOnTheCreatedEventAndTheState()
    {
        var ceilings = new BatchCeilings { DeadlineMs = 60_000, MaxFailureRate = 0.5, MinFinished = 2, Budget = new BatchBudget(10m, "usd") };
        var decision = BatchDecider.Decide(null, NewCreate(4) with { Ceilings = ceilings }, MaxRunCount, Now);

        Assert.Equal(ceilings, Assert.IsType<BatchCreated>(Assert.Single(decision.Events)).Ceilings);
        var state = ((BatchState?)null).Then(decision);
        Assert.Equal((ceilings, Now.AddMinutes(1)), (state.Ceilings, state.Deadline));
        Assert.Equal(ceilings, state.ToView(1, 1).Ceilings);
    }

    [Fact]
    public void Create_UnsetCeilingsComeFromTheDefaults_TheFingerprintIsTheRequestsAlone()
    {
        var defaults = new BatchCeilings { DeadlineMs = 3_600_000, MinFinished = 50, MaxFailureRate = 0.2 };
        var request = NewCreate(10) with { Ceilings = new BatchCeilings { DeadlineMs = 1_000 } };

        var state = ((BatchState?)null).Then(BatchDecider.Decide(null, request, MaxRunCount, defaults, Now));

        // The request's deadline wins; the default minFinished is lowered to the run count.
        Assert.Equal(new BatchCeilings { DeadlineMs = 1_000, MaxFailureRate = 0.2, MinFinished = 10 }, state.Ceilings);
        AssertUnchanged(BatchDecider.Decide(state, request, MaxRunCount, new BatchCeilings(), Now));
    }

    [Fact]
    public void Create_WithoutAnyCeiling_HasNone()
    {
        Assert.Null(Created().Ceilings);
        Assert.Null(Created().Deadline);
        Assert.Empty(BatchTimers.Desired(Created().Accept(0, 1, 2)));
    }

    public static TheoryData<BatchCeilings, string> BadCeilings => new()
    {
        { new BatchCeilings { DeadlineMs = 0 }, "ceilings.deadlineMs" },
        { new BatchCeilings { DeadlineMs = -5 }, "ceilings.deadlineMs" },
        { new BatchCeilings { MaxFailureRate = 1.5 }, "ceilings.maxFailureRate" },
        { new BatchCeilings { MaxFailureRate = -0.1 }, "ceilings.maxFailureRate" },
        { new BatchCeilings { MaxFailureRate = double.NaN }, "ceilings.maxFailureRate" },
        { new BatchCeilings { MaxFailureRate = 0.5, MinFinished = 0 }, "ceilings.minFinished" },
        { new BatchCeilings { MaxFailureRate = 0.5, MinFinished = 4 }, "ceilings.minFinished" },
        { new BatchCeilings { MinFinished = 2 }, "ceilings.minFinished" },
        { new BatchCeilings { MaxConsecutiveFailures = 0 }, "ceilings.maxConsecutiveFailures" },
        { new BatchCeilings { MaxConcurrency = 0 }, "ceilings.maxConcurrency" },
        { new BatchCeilings { MaxConcurrency = BatchCeilings.DefaultMaxConcurrency + 1 }, "ceilings.maxConcurrency" },
        { new BatchCeilings { Budget = new BatchBudget(0m, "usd") }, "ceilings.budget.limit" },
        { new BatchCeilings { Budget = new BatchBudget(-1m, "usd") }, "ceilings.budget.limit" },
        { new BatchCeilings { Budget = new BatchBudget(5m, "") }, "ceilings.budget.unit" },
        { new BatchCeilings { Budget = new BatchBudget(5m, new string('u', 33)) }, "ceilings.budget.unit" },
    };

    [Theory]
    [MemberData(nameof(BadCeilings))]
    public void Create_BadCeiling_ValidationFailedNamingTheField(BatchCeilings ceilings, string field)
    {
        var decision = BatchDecider.Decide(null, NewCreate(3) with { Ceilings = ceilings }, MaxRunCount, Now);

        AssertRejected(decision, ErrorCodes.ValidationFailed, null, field);
    }

    [Fact]
    public void Deadline_TimerWhileNotTerminal_ClearedWhenTheBatchFinishes()
    {
        var created = Created(2, NewCreate(2) with { Ceilings = new BatchCeilings { DeadlineMs = 60_000 } });
        Assert.Contains(new TimerChange(BatchTimers.DeadlineTimer, Now.AddMinutes(1)), BatchTimers.Diff(null, created));

        var sealedBatch = created.Accept(0, 1);
        Assert.Equal(Now.AddMinutes(1), BatchTimers.Desired(sealedBatch)[BatchTimers.DeadlineTimer]);
        var done = Finish(Finish(sealedBatch, 0, Succeeded), 1, Succeeded);
        Assert.Equal([new TimerChange(BatchTimers.DeadlineTimer, null)], BatchTimers.Diff(sealedBatch, done));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Deadline_PassedWhilePendingOrProcessing_AbortedWithReasonDeadline(bool sealedFirst)
    {
        var created = Created(3, NewCreate(3) with { Ceilings = new BatchCeilings { DeadlineMs = 60_000 } });
        var state = sealedFirst ? created.Accept(0, 1, 2) : created.Accept(0);

        AssertUnchanged(BatchDecider.DeadlinePassed(state, Now.AddSeconds(59)));
        var decision = BatchDecider.DeadlinePassed(state, Now.AddMinutes(1));

        var aborted = Aborted(decision);
        Assert.Equal((AbortReason.Deadline, "not finished within 60000 ms"), (aborted.Reason, aborted.Detail));
        var after = state.Then(decision);
        Assert.Equal((BatchStatus.Aborted, AbortReason.Deadline), (after.Status, after.AbortReason));
        Assert.Equal(AbortReason.Deadline, after.ToView(1, 1).AbortReason);
        AssertUnchanged(BatchDecider.DeadlinePassed(after, Now.AddHours(1)));
    }

    [Fact]
    public void Deadline_OnAFinishedBatchOrWithoutOne_Unchanged()
    {
        var finished = Created(1, NewCreate(1) with { Ceilings = new BatchCeilings { DeadlineMs = 1 } }).Accept(0);
        finished = Finish(finished, 0, Succeeded);
        AssertUnchanged(BatchDecider.DeadlinePassed(finished, Now.AddDays(1)));
        AssertUnchanged(BatchDecider.DeadlinePassed(Created().Accept(0), Now.AddDays(1)));
    }

    [Fact]
    public void FailureRate_AfterMinFinished_AbortsOnceTheRateIsExceeded()
    {
        var state = Sealed(10, new BatchCeilings { MaxFailureRate = 0.5, MinFinished = 4 });
        state = Finish(state, 0, Failed);
        state = Finish(state, 1, Failed);
        state = Finish(state, 2, Failed); // 3 of 3 failed, but fewer than minFinished

        Assert.Equal(BatchStatus.Processing, state.Status);
        var decision = BatchDecider.ChildFinished(state, 3, Succeeded, false, Now.AddSeconds(3));

        var aborted = Aborted(decision);
        Assert.Equal((AbortReason.FailureRate, "3 of 4 finished children failed (maxFailureRate 0.5)"), (aborted.Reason, aborted.Detail));
    }

    [Fact]
    public void FailureRate_AtTheRateExactly_IsNotExceeded_TimedOutCountsAsFailedCancelledDoesNot()
    {
        var state = Sealed(10, new BatchCeilings { MaxFailureRate = 0.5, MinFinished = 2 });
        state = Finish(state, 0, TimedOut);
        state = Finish(state, 1, Succeeded); // 1 of 2: at the rate
        state = Finish(state, 2, Cancelled); // 1 of 3
        Assert.Equal(BatchStatus.Processing, state.Status);

        Assert.Equal(AbortReason.FailureRate, Aborted(BatchDecider.ChildFinished(Finish(state, 3, TimedOut), 4, TimedOut, false, Now)).Reason);
    }

    [Fact]
    public void ConsecutiveFailures_ASuccessEndsTheRun_ACancelLeavesIt()
    {
        var state = Sealed(10, new BatchCeilings { MaxConsecutiveFailures = 3 });
        state = Finish(state, 0, Failed);
        state = Finish(state, 1, Failed);
        state = Finish(state, 2, Succeeded);
        state = Finish(state, 3, Failed);
        state = Finish(state, 4, Cancelled);
        state = Finish(state, 5, TimedOut);
        Assert.Equal((BatchStatus.Processing, 2), (state.Status, state.ConsecutiveFailures));

        var aborted = Aborted(BatchDecider.ChildFinished(state, 6, Failed, false, Now));
        Assert.Equal((AbortReason.FailureRate, "3 children failed in a row (maxConsecutiveFailures 3)"), (aborted.Reason, aborted.Detail));
    }

    [Fact]
    public void Budget_SpentSumsOncePerChild_AbortsWhenTheLimitIsReached()
    {
        var state = Sealed(5, new BatchCeilings { Budget = new BatchBudget(10m, "usd") });
        state = Finish(state, 0, Succeeded, 4.25m);
        state = Finish(state, 1, Failed, null);
        // A repeat of a counted child adds nothing.
        AssertUnchanged(BatchDecider.ChildFinished(state, 0, Succeeded, alreadyCounted: true, Now, 4.25m));
        Assert.Equal(4.25m, state.Spent);

        var decision = BatchDecider.ChildFinished(state, 2, Succeeded, false, Now, 5.75m);

        var aborted = Aborted(decision);
        Assert.Equal((AbortReason.Budget, "spent 10.00 usd of a budget of 10"), (aborted.Reason, aborted.Detail));
        var after = state.Then(decision);
        Assert.Equal((10.00m, BatchStatus.Aborted), (after.Spent, after.Status));
        Assert.Equal(10.00m, after.ToView(1, 1).Spent);
    }

    [Fact]
    public void AfterAnAbort_CountsAndSpendGoOn_TheStatusAndReasonStay()
    {
        var state = Sealed(3, new BatchCeilings { Budget = new BatchBudget(1m, "usd") });
        var aborted = Finish(state, 0, Succeeded, 2m);
        Assert.Equal(AbortReason.Budget, aborted.AbortReason);

        var later = Finish(Finish(aborted, 1, Cancelled, 0.5m), 2, Failed, 0.25m);

        Assert.Equal((BatchStatus.Aborted, AbortReason.Budget, 2.75m, 3L), (later.Status, later.AbortReason, later.Spent, later.Finished));
    }

    [Fact]
    public void TheLastChildCrossingACeiling_FinishesTheBatchOnItsOwn()
    {
        var state = Sealed(2, new BatchCeilings { MaxFailureRate = 0.1, Budget = new BatchBudget(1m, "usd") });
        state = Finish(state, 0, Succeeded);

        var decision = BatchDecider.ChildFinished(state, 1, Failed, false, Now, 5m);

        Assert.Equal(BatchStatus.PartialFailed, Assert.IsType<BatchFinished>(decision.Events[^1]).Status);
    }

    [Fact]
    public void BudgetAndFailureRateCrossedTogether_TheReasonIsBudget()
    {
        var state = Sealed(4, new BatchCeilings { MaxConsecutiveFailures = 1, Budget = new BatchBudget(1m, "usd") });

        Assert.Equal(AbortReason.Budget, Aborted(BatchDecider.ChildFinished(state, 0, Failed, false, Now, 1m)).Reason);
    }

    [Fact]
    public void PendingBatch_CeilingsApplyBeforeTheSeal()
    {
        var state = Created(5, NewCreate(5) with { Ceilings = new BatchCeilings { MaxConsecutiveFailures = 2 } }).Accept(0, 1);
        state = Finish(state, 0, Failed);

        var after = state.Then(BatchDecider.ChildFinished(state, 1, Failed, false, Now));

        Assert.Equal((BatchStatus.Aborted, AbortReason.FailureRate, false), (after.Status, after.AbortReason, after.Sealed));
        AssertRejected(BatchDecider.Decide(after, Chunk(2, 3, 4), None, Now), ErrorCodes.BatchAborted, BatchStatus.Aborted);
    }

    [Fact]
    public void TriggerAndWait_ABatchThatHitACeiling_ResumesItsParentOnce_WithTheReasonInTheSummary()
    {
        var create = NewCreate(3) with { ParentId = "parent-1", ResumeParent = true, Ceilings = new BatchCeilings { MaxConsecutiveFailures = 1 } };
        var state = Created(3, create).Accept(0, 1, 2);

        var abort = BatchDecider.ChildFinished(state, 0, Failed, false, Now);
        var aborted = state.Then(abort);
        Assert.Equal(["parent-1"], BatchCommits.Resumes(state, aborted, abort.Events));

        // Children finishing after the abort resume nobody again.
        var later = BatchDecider.ChildFinished(aborted, 1, Succeeded, false, Now);
        Assert.Empty(BatchCommits.Resumes(aborted, aborted.Then(later), later.Events));
        var summary = Levee.Grains.Executions.StoredBatchSummary.From(aborted.ToView(1, 1)).ToView();
        Assert.Equal((BatchStatus.Aborted, AbortReason.FailureRate), (summary.Status, summary.AbortReason));
    }

    [Fact]
    public void OldRow_FreeTextAbortReason_ReadsAsItsTypedReason()
    {
        var legacy = """{"id":"b","status":"aborted","runCount":1,"queue":"q","fingerprint":"f","abortReason":"not sealed within 5 ms"}"""u8;
        Assert.Equal(AbortReason.SealTimeout, BatchCodec.ReadState(legacy).AbortReason);
        var cancelled = """{"id":"b","status":"aborted","runCount":1,"queue":"q","fingerprint":"f","abortReason":"operator said so"}"""u8;
        Assert.Equal(AbortReason.Cancelled, BatchCodec.ReadState(cancelled).AbortReason);
    }

    /// <summary>
    /// Any order of child outcomes, any costs, any duplicates of their messages, in any rounds:
    /// exactly one terminal event; the reason is the first ceiling the counts crossed (checked
    /// against a plain re-count); counts and spend are exact; no item is accepted after the abort.
    /// </summary>
    [Fact]
    public void Property_CeilingsUnderDuplicatesAndAnyOrder_OneTerminalFirstCeilingExactCounts()
    {
        var gen =
            from n in Gen.Choose(1, 30)
            from outcomes in Gen.ArrayOf(Gen.Elements(Succeeded, Failed, Cancelled, TimedOut), n)
            from costs in Gen.ArrayOf(Gen.Frequency((1, Gen.Constant<decimal?>(null)), (3, Gen.Choose(0, 400).Select(c => (decimal?)(c / 100m)))), n)
            from order in Gen.Shuffle(Enumerable.Range(0, n))
            from copies in Gen.ArrayOf(Gen.Choose(1, 3), n)
            from roundSize in Gen.Choose(1, 5)
            from rate in Gen.Frequency((1, Gen.Constant<double?>(null)), (2, Gen.Choose(0, 10).Select(r => (double?)(r / 10.0))))
            from minFinished in Gen.Choose(1, n)
            from streak in Gen.Frequency((1, Gen.Constant<int?>(null)), (2, Gen.Choose(1, 6).Select(s => (int?)s)))
            from budget in Gen.Frequency((1, Gen.Constant<decimal?>(null)), (2, Gen.Choose(1, 4000).Select(b => (decimal?)(b / 100m))))
            select (n, outcomes, costs, order, copies, roundSize, rate, minFinished, streak, budget);

        Prop.ForAll(gen.ToArbitrary(), run =>
        {
            var (n, outcomes, costs, order, copies, roundSize, rate, minFinished, streak, budget) = run;
            var ceilings = new BatchCeilings
            {
                MaxFailureRate = rate, MinFinished = rate is null ? null : minFinished, MaxConsecutiveFailures = streak,
                Budget = budget is { } limit ? new BatchBudget(limit, "usd") : null,
            };
            var state = Sealed(n, ceilings);
            // Messages: each child's, repeated; the batch's child rows say which it counted.
            var messages = order.SelectMany(i => Enumerable.Repeat(i, copies[i])).ToArray();
            var counted = new HashSet<int>();
            var log = new List<BatchEvent>();
            foreach (var round in messages.Chunk(roundSize))
            {
                var decision = BatchDecider.ChildrenFinished(state,
                    [.. round.Select(i => new ChildReport(i, outcomes[i], counted.Contains(i), costs[i]))], Now);
                log.AddRange(decision.Events);
                state = BatchDecider.Fold(state, decision.Events)!;
                counted.UnionWith(decision.Events.OfType<BatchChildFinished>().Select(e => e.Index));
            }

            // Exact counts and spend, whatever the order and the repeats.
            Assert.Equal(n, log.OfType<BatchChildFinished>().Count());
            Assert.Equal(costs.Sum(c => c ?? 0), state.Spent);
            Assert.Equal(outcomes.Count(o => o == Failed), state.Failed);
            Assert.Equal(outcomes.Count(o => o == Succeeded), state.Succeeded);
            // Exactly one terminal event.
            var terminal = Assert.Single(log, e => e is BatchFinished or BatchAborted);
            // The reason is the first ceiling crossed, found by re-counting in the order counted.
            var expected = FirstCrossed(log.OfType<BatchChildFinished>().ToArray(), ceilings, n);
            if (expected is { } reason)
            {
                Assert.Equal(reason, Assert.IsType<BatchAborted>(terminal).Reason);
                Assert.Equal(reason, state.AbortReason);
                AssertRejected(BatchDecider.Decide(state, Chunk(0), None, Now), ErrorCodes.BatchAborted, BatchStatus.Aborted);
            }
            else
            {
                Assert.IsType<BatchFinished>(terminal);
            }
        }).QuickCheckThrowOnFailure();
    }

    /// <summary>A plain re-count of the model: the first child after which a ceiling holds, unless it was the last child.</summary>
    private static AbortReason? FirstCrossed(BatchChildFinished[] counted, BatchCeilings ceilings, int n)
    {
        long finished = 0, failed = 0;
        var run = 0;
        decimal spent = 0;
        foreach (var child in counted)
        {
            finished++;
            spent += child.Cost ?? 0;
            (failed, run) = child.Outcome switch
            {
                Failed or TimedOut => (failed + 1, run + 1),
                Succeeded => (failed, 0),
                _ => (failed, run),
            };
            if (finished == n)
            {
                return null;
            }
            if (ceilings.Budget is { } budget && spent >= budget.Limit)
            {
                return AbortReason.Budget;
            }
            if ((ceilings.MaxConsecutiveFailures is { } streak && run >= streak)
                || (ceilings.MaxFailureRate is { } rate && finished >= (ceilings.MinFinished ?? 1) && failed > rate * finished))
            {
                return AbortReason.FailureRate;
            }
        }
        return null;
    }
}
