using FsCheck;
using FsCheck.Fluent;
using Levee.Errors;
using Levee.Executions;
using Levee.Grains.Executions;
using Xunit;
using static Levee.Executions.ExecutionStatus;
using static Levee.Grains.Tests.Executions.ExecutionGenerators;
using static Levee.Grains.Tests.Executions.ExecutionScenarios;

namespace Levee.Grains.Tests.Executions;

/// <summary>
/// Properties of leases, retries, approvals and timers over random interleavings of several
/// workers (each remembering the leases it was given and sometimes presenting old ones), clients
/// and timers, with the clock moving forward. Each accepted decision is folded like the grain does.
/// </summary>
public sealed class ExecutionDeciderWorkerProperties
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(1_000);

    /// <summary>What the runs must reach for the property to mean something: statuses, events and outcomes of commands.</summary>
    private static readonly string[] ExpectedCoverage =
    [
        "queued", "running", "waiting", "succeeded", "failed", "cancelled", "timed_out",
        "claimed", "lease_extended", "retry_scheduled", "lease_expired", "released", "approval_requested", "approval_decided", "queued-resumed",
        "heartbeat:cancel_requested", "complete:repeat", "fail:repeat", "release:repeat", "release:reclaimed", "request:repeat", "request:more", "decide:repeat",
        $"heartbeat:{ErrorCodes.LeaseLost}", $"complete:{ErrorCodes.LeaseLost}", $"fail:{ErrorCodes.LeaseLost}", $"request:{ErrorCodes.LeaseLost}", $"release:{ErrorCodes.LeaseLost}",
        $"complete:{ErrorCodes.TerminalState}", $"fail:{ErrorCodes.TerminalState}", $"request:{ErrorCodes.TerminalState}", $"release:{ErrorCodes.TerminalState}", $"decide:{ErrorCodes.TerminalState}",
        $"decide:{ErrorCodes.ApprovalConflict}", $"decide:{ErrorCodes.NotFound}",
        "timer:deadline", "timer:lease", "timer:approval", "timer:available",
    ];

    /// <summary>
    /// Rounds of <see cref="Config"/>'s 1,000 runs at most, until the runs have reached everything
    /// in <see cref="ExpectedCoverage"/>. The rarest outcomes (deciding an approval twice the same
    /// way needs a claim, a request and two decisions in order) were missed by one round in about
    /// a third of tries; more rounds only check more interleavings.
    /// </summary>
    private const int MaxCoverageRounds = 10;

    [Fact]
    public void Fleet_AnyInterleaving_KeepsLeaseRetryApprovalAndTimerInvariants()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);

        for (var round = 0; round < MaxCoverageRounds && ExpectedCoverage.Except(seen).Any(); round++)
        {
            CheckRound(seen);
        }

        // Guards the generators: the property is only as good as the states and outcomes it visits.
        Assert.Empty(ExpectedCoverage.Except(seen));
    }

    private static void CheckRound(HashSet<string> seen) =>
        Check.One(Config, Prop.ForAll(FleetRunArbitrary, (FleetRun run) =>
        {
            var fleet = new Fleet(run.Create);
            for (var i = 0; i < run.Steps.Length; i++)
            {
                var (step, tick) = run.Steps[i];
                try
                {
                    fleet.Run(step, tick);
                }
                catch (Exception e)
                {
                    throw new InvalidOperationException(
                        $"Step {i} ({step}) at +{(fleet.Clock - Now).TotalMilliseconds} ms on {fleet.State.Status} attempt {fleet.State.Attempt}: {e.Message}", e);
                }
                seen.Add(fleet.State.Status.ToWire());
                seen.UnionWith(fleet.Outcomes);
            }
        }));

    [Fact]
    public void Backoff_AnyValidPolicy_BetweenHalfAndAllOfTheCappedDelayAndMonotone()
    {
        var cases =
            from initial in Gen.Choose(0, 60_000)
            from extra in Gen.Choose(0, 600_000)
            from factor in Gen.Choose(10, 100).Select(f => f / 10.0)
            from attempt in Gen.Choose(1, 100)
            from jitter in Jitters
            from otherJitter in Jitters
            select (policy: new RetryPolicy(100, initial, factor, (long)initial + extra), attempt, jitter, otherJitter);

        Check.One(Config, Prop.ForAll(cases.ToArbitrary(), ((RetryPolicy Policy, int Attempt, double Jitter, double OtherJitter) x) =>
        {
            var capped = Math.Min(x.Policy.InitialDelayMs * Math.Pow(x.Policy.BackoffFactor, x.Attempt - 1), x.Policy.MaxDelayMs);
            var delay = ExecutionDecider.Backoff(x.Policy, x.Attempt, x.Jitter);

            // A computed backoff value (pure function), not a measured duration.
            Assert.InRange(delay, TimeSpan.FromMilliseconds((capped / 2) - 0.001), TimeSpan.FromMilliseconds(capped + 0.001));
            Assert.True(ExecutionDecider.Backoff(x.Policy, x.Attempt + 1, x.Jitter) >= delay, "grows with the attempt");
            if (x.Jitter <= x.OtherJitter)
            {
                Assert.True(delay <= ExecutionDecider.Backoff(x.Policy, x.Attempt, x.OtherJitter), "grows with the jitter");
            }
        }));
    }

    /// <summary>
    /// One execution, the workers around it, and an independent model of what the spec says each
    /// command must do. <see cref="Run"/> decides one step, checks it against the model, folds it,
    /// then checks the invariants of the new state.
    /// </summary>
    private sealed class Fleet
    {
        private readonly List<string>[] _leases = [.. Enumerable.Range(0, Workers).Select(_ => new List<string>())];
        private readonly List<string> _issued = [];
        private readonly HashSet<string> _completed = new(StringComparer.Ordinal);
        private readonly HashSet<string> _failed = new(StringComparer.Ordinal);
        private readonly HashSet<string> _requested = new(StringComparer.Ordinal);
        private readonly HashSet<string> _released = new(StringComparer.Ordinal);
        private string? _lastIssued;
        /// <summary>The lease whose request suspended the execution, while it is waiting.</summary>
        private string? _suspendedBy;
        /// <summary>True between a resume or a release and the next claim: that claim continues the attempt that stopped.</summary>
        private bool _resumed;
        private (ExecutionStatus Status, string? Output, ExecutionError? Error, DateTimeOffset? CompletedAt)? _terminal;
        private Dictionary<string, DateTimeOffset> _timers;
        /// <summary>The lease the current step's write presents, and whether the spec lets it write without being live.</summary>
        private (string Lease, bool MayWriteUnlive)? _presented;

        public Fleet(CreateExecution create)
        {
            Clock = Now;
            State = ((ExecutionState?)null).Then(create, Now);
            _timers = ApplyTimerChanges(new Dictionary<string, DateTimeOffset>(), ExecutionTimers.Diff(null, State));
            Assert.Equal(ExecutionTimers.Desired(State), _timers);
        }

        public ExecutionState State { get; private set; }

        public DateTimeOffset Clock { get; private set; }

        /// <summary>Labels of what the last step did, for the coverage check.</summary>
        public List<string> Outcomes { get; } = [];

        private int MaxAttempts => State.Retry.MaxAttempts;

        public void Run(FleetStep step, int tickMs)
        {
            Outcomes.Clear();
            _presented = null;
            Clock = Clock.AddMilliseconds(tickMs);
            var before = State;
            var decision = step switch
            {
                ClaimStep claim => Claim(claim),
                HeartbeatStep heartbeat => Heartbeat(heartbeat),
                CompleteStep complete => Complete(complete),
                FailStep fail => Fail(fail),
                ReleaseStep release => Release(release),
                RequestStep request => Request(request),
                DecideStep decide => DecideApproval(decide),
                CancelStep => Cancel(),
                ExpireLeaseStep expire => ExpireLease(expire),
                StaleLeaseTimerStep stale => StaleLeaseTimer(stale),
                FireNextTimerStep fire => FireNextTimer(fire),
                WaitStep wait => Wait(wait),
                _ => throw new ArgumentOutOfRangeException(nameof(step), step, null),
            };

            if (decision.Rejection is not null)
            {
                Assert.Empty(decision.Events);
            }
            if (_presented is { } presented && !before.HoldsLease(presented.Lease, Clock) && !presented.MayWriteUnlive)
            {
                // (b) A lease that is not live never writes (repeats of its own writes are unchanged).
                Assert.Empty(decision.Events);
            }
            if (before.Status.IsTerminal())
            {
                // (c) Nothing touches a terminal execution.
                Assert.Empty(decision.Events);
            }
            State = Levee.Grains.Tests.Serialization.StoredRoundTrip.Stored(ExecutionDecider.Fold(before, decision.Events))!;
            Outcomes.AddRange(decision.Events.Select(e => e is ExecutionResumed ? "queued-resumed" : e.LogType is "" ? "lease_extended" : e.LogType));
            CheckInvariants(before, decision);
        }

        // ---- Commands, each checked against what the spec says it must do ----

        private Decision Claim(ClaimStep step)
        {
            var lease = $"w{step.Worker}-lease-{_issued.Count + 1}";
            var decision = ExecutionDecider.Decide(State, new ClaimExecution($"worker-{step.Worker}", lease), Clock);
            if (State.Status == Queued && State.AvailableAt <= Clock)
            {
                var attempt = _resumed ? State.Attempt : State.Attempt + 1;
                if (_resumed && State.AttemptEnd == AttemptEnd.Released)
                {
                    Outcomes.Add("release:reclaimed");
                }
                Assert.Null(decision.Rejection);
                Assert.Equal(new ExecutionClaimed(Clock, attempt, $"worker-{step.Worker}", lease, Clock + State.LeaseDuration), Assert.Single(decision.Events));
                _leases[step.Worker].Add(lease);
                _issued.Add(lease);
                _lastIssued = lease;
                _resumed = false;
            }
            else
            {
                AssertRejected(decision, ErrorCodes.IllegalTransition, State.Status);
            }
            return decision;
        }

        private Decision Heartbeat(HeartbeatStep step)
        {
            var lease = Present(step.Worker, step.Age);
            var decision = ExecutionDecider.Decide(State, new Heartbeat(lease), Clock);
            if (State.HoldsLease(lease, Clock))
            {
                Assert.Null(decision.Rejection);
                Assert.Equal(new LeaseExtended(Clock, Clock + State.LeaseDuration), Assert.Single(decision.Events));
            }
            else if (State.Status == Cancelled && lease == _lastIssued)
            {
                // The grain answers cancelRequested = true.
                AssertUnchanged(decision);
                Assert.True(State.CancelRequested);
                Outcomes.Add("heartbeat:cancel_requested");
            }
            else
            {
                AssertRejected(decision, ErrorCodes.LeaseLost, State.Status);
                Outcomes.Add($"heartbeat:{ErrorCodes.LeaseLost}");
            }
            return decision;
        }

        private Decision Complete(CompleteStep step)
        {
            var lease = Present(step.Worker, step.Age);
            var output = Json(step.Output.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var decision = ExecutionDecider.Decide(State, new CompleteExecution(lease, output), Clock);
            if (State.HoldsLease(lease, Clock))
            {
                Assert.Null(decision.Rejection);
                var changed = Assert.IsType<StatusChanged>(Assert.Single(decision.Events));
                Assert.Equal((Clock, Succeeded, State.Attempt, output.GetRawText()), (changed.At, changed.Status, changed.Attempt, changed.Output?.GetRawText()));
                _completed.Add(lease);
            }
            else if (_completed.Contains(lease))
            {
                AssertUnchanged(decision);
                Outcomes.Add("complete:repeat");
            }
            else
            {
                Rejected(decision, "complete", State.Status.IsTerminal() ? ErrorCodes.TerminalState : ErrorCodes.LeaseLost);
            }
            return decision;
        }

        private Decision Fail(FailStep step)
        {
            var lease = Present(step.Worker, step.Age);
            var error = new ExecutionError($"boom {step.Jitter}", "IOException", Retryable: !step.Retryable);
            var decision = ExecutionDecider.Decide(State, new FailExecution(lease, error, step.Retryable, step.RetryAfterMs), Clock, step.Jitter);
            if (State.HoldsLease(lease, Clock))
            {
                Assert.Null(decision.Rejection);
                var recorded = error with { Retryable = step.Retryable };
                if (step.Retryable && State.Attempt < MaxAttempts)
                {
                    var delay = step.RetryAfterMs is { } ms ? TimeSpan.FromMilliseconds(ms) : ExecutionDecider.Backoff(State.Retry, State.Attempt, step.Jitter);
                    Assert.Equal(new RetryScheduled(Clock, State.Attempt, recorded, Clock + delay), Assert.Single(decision.Events));
                }
                else
                {
                    Assert.Equal(new StatusChanged(Clock, Failed, State.Attempt, null, null, recorded), Assert.Single(decision.Events));
                }
                _failed.Add(lease);
            }
            else if (_failed.Contains(lease) && lease == _lastIssued && State.Status is Queued or Failed)
            {
                // The lease's own retry (not yet claimed again) or final failure.
                AssertUnchanged(decision);
                Outcomes.Add("fail:repeat");
            }
            else
            {
                Rejected(decision, "fail", State.Status.IsTerminal() ? ErrorCodes.TerminalState : ErrorCodes.LeaseLost);
            }
            return decision;
        }

        private Decision Release(ReleaseStep step)
        {
            var lease = Present(step.Worker, step.Age);
            var decision = ExecutionDecider.Decide(State, new ReleaseExecution(lease), Clock);
            if (State.HoldsLease(lease, Clock))
            {
                Assert.Null(decision.Rejection);
                Assert.Equal(new LeaseReleased(Clock, State.Attempt, lease), Assert.Single(decision.Events));
                _released.Add(lease);
                _resumed = true;
            }
            else if (_released.Contains(lease) && lease == _lastIssued && State.Status == Queued)
            {
                // Its own release, not claimed again yet.
                AssertUnchanged(decision);
                Outcomes.Add("release:repeat");
            }
            else
            {
                Rejected(decision, "release", State.Status.IsTerminal() ? ErrorCodes.TerminalState : ErrorCodes.LeaseLost);
            }
            return decision;
        }

        private Decision Request(RequestStep step)
        {
            var toolCallId = $"call-{step.Call}";
            var lease = LeaseOf(step.Worker, step.Age);
            // While suspended, the lease that suspended may ask for more approvals.
            var suspendedByThisLease = State.Status == Waiting && lease == _suspendedBy;
            _presented = (lease, suspendedByThisLease);
            var decision = ExecutionDecider.Decide(State, new RequestApproval(lease, toolCallId, "tool", null, step.TimeoutMs), Clock);
            if (_requested.Contains(toolCallId))
            {
                AssertUnchanged(decision);
                Outcomes.Add("request:repeat");
            }
            else if (State.Status.IsTerminal())
            {
                Rejected(decision, "request", ErrorCodes.TerminalState);
            }
            else if (State.HoldsLease(lease, Clock) || suspendedByThisLease)
            {
                Assert.Null(decision.Rejection);
                var requested = Assert.IsType<ApprovalRequested>(Assert.Single(decision.Events));
                Assert.Equal(
                    (toolCallId, ApprovalStatus.Pending, Clock, step.TimeoutMs is { } ms ? Clock.AddMilliseconds(ms) : (DateTimeOffset?)null),
                    (requested.Approval.ToolCallId, requested.Approval.Status, requested.Approval.RequestedAt, requested.Approval.ExpiresAt));
                _requested.Add(toolCallId);
                _suspendedBy = lease;
                if (suspendedByThisLease)
                {
                    Outcomes.Add("request:more");
                }
            }
            else
            {
                Rejected(decision, "request", ErrorCodes.LeaseLost);
            }
            return decision;
        }

        private Decision DecideApproval(DecideStep step)
        {
            var toolCallId = $"call-{step.Call}";
            var decision = ExecutionDecider.Decide(State, new DecideApproval(toolCallId, step.Approved, "because"), Clock);
            var approval = State.Approvals.FirstOrDefault(a => a.ToolCallId == toolCallId);
            if (approval is null)
            {
                AssertRejected(decision, ErrorCodes.NotFound, null);
                Outcomes.Add($"decide:{ErrorCodes.NotFound}");
            }
            else if (approval.Status != ApprovalStatus.Pending)
            {
                // First decision wins; expired counts as denied.
                if (step.Approved == (approval.Status == ApprovalStatus.Approved))
                {
                    AssertUnchanged(decision);
                    Outcomes.Add("decide:repeat");
                }
                else
                {
                    AssertRejected(decision, ErrorCodes.ApprovalConflict, State.Status);
                    Assert.Equal(approval.ToView(), decision.Rejection!.Approval);
                    Outcomes.Add($"decide:{ErrorCodes.ApprovalConflict}");
                }
            }
            else if (State.Status.IsTerminal())
            {
                Rejected(decision, "decide", ErrorCodes.TerminalState);
            }
            else
            {
                Assert.Null(decision.Rejection);
                var decided = new ApprovalDecided(Clock, toolCallId, step.Approved ? ApprovalStatus.Approved : ApprovalStatus.Denied, "because");
                ExpectSettled(decision, decided);
            }
            return decision;
        }

        private Decision Cancel()
        {
            var decision = ExecutionDecider.Decide(State, new CancelExecution("stop"), Clock);
            if (!State.Status.IsTerminal())
            {
                Assert.Equal(new ExecutionCancelled(Clock, "stop"), Assert.Single(decision.Events));
                _suspendedBy = null;
            }
            else if (State.Status == Cancelled)
            {
                AssertUnchanged(decision);
            }
            else
            {
                AssertRejected(decision, ErrorCodes.TerminalState, State.Status);
            }
            return decision;
        }

        private Decision ExpireLease(ExpireLeaseStep step)
        {
            if (State is { Status: Running, LeaseExpiresAt: { } expires } && expires > Clock)
            {
                Clock = expires;
            }
            return LeaseTimer(State.LeaseId ?? "", step.Jitter);
        }

        private Decision StaleLeaseTimer(StaleLeaseTimerStep step) => LeaseTimer(LeaseOf(step.Worker, step.Age), step.Jitter);

        private Decision LeaseTimer(string lease, double jitter)
        {
            var decision = ExecutionDecider.ExpireLease(State, lease, Clock, jitter);
            if (State.Status == Running && lease == _lastIssued && State.LeaseExpiresAt <= Clock)
            {
                Assert.Null(decision.Rejection);
                Assert.Equal(2, decision.Events.Count);
                Assert.Equal(new LeaseExpired(Clock, State.Attempt, lease), decision.Events[0]);
                var error = decision.Events[1] switch
                {
                    RetryScheduled retry when State.Attempt < MaxAttempts => retry.Error,
                    StatusChanged { Status: Failed } failed when State.Attempt >= MaxAttempts => failed.Error!,
                    var other => throw new InvalidOperationException($"Unexpected {other} after a lease expiry at attempt {State.Attempt}/{MaxAttempts}."),
                };
                Assert.Equal("lease_expired", error.Type);
                if (decision.Events[1] is RetryScheduled scheduled)
                {
                    Assert.Equal(Clock + ExecutionDecider.Backoff(State.Retry, State.Attempt, jitter), scheduled.AvailableAt);
                }
            }
            else
            {
                // A stale timer: the lease was extended, ended, superseded, or never existed.
                AssertUnchanged(decision);
            }
            return decision;
        }

        private Decision FireNextTimer(FireNextTimerStep step)
        {
            if (_timers.Count == 0)
            {
                return Decision.Unchanged;
            }
            var (name, due) = _timers.OrderBy(t => t.Value).ThenBy(t => t.Key, StringComparer.Ordinal).First();
            if (due > Clock)
            {
                Clock = due;
            }
            Outcomes.Add(name.StartsWith(ExecutionTimers.ApprovalPrefix, StringComparison.Ordinal) ? "timer:approval" : $"timer:{name}");
            Decision decision;
            switch (name)
            {
                case ExecutionTimers.DeadlineTimer:
                    decision = ExecutionDecider.ExpireDeadline(State, Clock);
                    var timedOut = Assert.IsType<StatusChanged>(Assert.Single(decision.Events));
                    Assert.Equal((Clock, TimedOut, State.Attempt, "timed_out", false),
                        (timedOut.At, timedOut.Status, timedOut.Attempt, timedOut.Error?.Type, timedOut.Error?.Retryable));
                    _suspendedBy = null;
                    break;
                case ExecutionTimers.LeaseTimer:
                    decision = LeaseTimer(State.LeaseId ?? "", step.Jitter);
                    Assert.NotEmpty(decision.Events);
                    break;
                case ExecutionTimers.AvailableTimer:
                    // Wakes the queue's claimers: nothing changes, the execution is just claimable now.
                    Assert.Equal(Queued, State.Status);
                    Assert.True(State.AvailableAt <= Clock);
                    decision = Decision.Unchanged;
                    break;
                default:
                    var toolCallId = name[ExecutionTimers.ApprovalPrefix.Length..];
                    decision = ExecutionDecider.ExpireApproval(State, toolCallId, Clock);
                    Assert.Null(decision.Rejection);
                    ExpectSettled(decision, new ApprovalDecided(Clock, toolCallId, ApprovalStatus.Expired, "The approval timed out."));
                    break;
            }
            return decision;
        }

        private Decision Wait(WaitStep step)
        {
            Clock = Clock.AddMilliseconds(step.Ms);
            return Decision.Unchanged;
        }

        /// <summary>A decision or expiry of a pending approval: resumed (queued, due now) when no other approval is pending.</summary>
        private void ExpectSettled(Decision decision, ApprovalDecided decided)
        {
            var othersPending = State.Approvals.Any(a => a.Status == ApprovalStatus.Pending && a.ToolCallId != decided.ToolCallId);
            Assert.Equal(Waiting, State.Status);
            if (othersPending)
            {
                Assert.Equal(decided, Assert.Single(decision.Events));
            }
            else
            {
                Assert.Equal([decided, new ExecutionResumed(Clock)], decision.Events);
                _resumed = true;
                _suspendedBy = null;
            }
        }

        private void Rejected(Decision decision, string command, string code)
        {
            AssertRejected(decision, code, State.Status);
            Outcomes.Add($"{command}:{code}");
        }

        private string Present(int worker, int age)
        {
            var lease = LeaseOf(worker, age);
            _presented = (lease, false);
            return lease;
        }

        private string LeaseOf(int worker, int age)
        {
            var leases = _leases[worker];
            return age < leases.Count ? leases[leases.Count - 1 - age] : $"w{worker}-never-issued";
        }

        // ---- Invariants of every state reached ----

        private void CheckInvariants(ExecutionState before, Decision decision)
        {
            var state = State;

            // (a) At most one live lease, and only the newest one can be it.
            var live = _issued.Concat(Enumerable.Range(0, Workers).Select(w => $"w{w}-never-issued")).Where(l => state.HoldsLease(l, Clock)).ToList();
            Assert.True(live.Count <= 1, $"Live leases: {string.Join(", ", live)}");
            Assert.All(live, l => Assert.Equal(_lastIssued, l));

            // (b) is checked in Run, and more precisely per command: a write with a lease that is not
            // live is unchanged only when it repeats what the spec calls a repeat, else rejected.

            // (c) Once terminal, the outcome never changes.
            if (state.Status.IsTerminal())
            {
                var outcome = (state.Status, state.Output?.GetRawText(), state.Error, state.CompletedAt);
                _terminal ??= outcome;
                Assert.Equal(_terminal, outcome);
                Assert.NotNull(state.CompletedAt);
            }
            else
            {
                Assert.Null(_terminal);
                Assert.Null(state.CompletedAt);
            }

            // (d) Attempts never go back and never exceed the policy.
            Assert.True(state.Attempt >= before.Attempt, $"attempt {before.Attempt} -> {state.Attempt}");
            Assert.InRange(state.Attempt, 0, MaxAttempts);
            if (_issued.Count == 0)
            {
                Assert.Equal(0, state.Attempt);
            }

            // (e) What each status guarantees.
            var pending = state.Approvals.Count(a => a.Status == ApprovalStatus.Pending);
            switch (state.Status)
            {
                case Queued:
                    Assert.Empty(live);
                    Assert.Equal(0, pending);
                    break;
                case Running:
                    Assert.Equal(_lastIssued, state.LeaseId);
                    Assert.Equal(0, pending);
                    break;
                case Waiting:
                    Assert.Empty(live);
                    Assert.True(pending > 0, "waiting with no pending approval");
                    Assert.Equal(_suspendedBy, state.LeaseId);
                    Assert.NotNull(state.WaitingFor);
                    break;
                default:
                    Assert.Empty(live);
                    Assert.Empty(ExecutionTimers.Desired(state));
                    break;
            }
            if (state.Status != Waiting)
            {
                Assert.Null(state.WaitingFor);
            }

            // Approvals are never lost, and the first decision (or expiry) is final.
            Assert.Equal(_requested.Order(StringComparer.Ordinal), state.Approvals.Select(a => a.ToolCallId).Order(StringComparer.Ordinal));
            foreach (var old in before.Approvals)
            {
                var now = state.Approvals.Single(a => a.ToolCallId == old.ToolCallId);
                Assert.Equal((old.Tool, old.RequestedAt, old.ExpiresAt), (now.Tool, now.RequestedAt, now.ExpiresAt));
                if (old.Status != ApprovalStatus.Pending)
                {
                    Assert.Equal(old, now);
                }
            }

            // Timers: the grain's timer table, kept by applying each diff, is what the state needs.
            _timers = ApplyTimerChanges(_timers, ExecutionTimers.Diff(before, state));
            Assert.Equal(ExecutionTimers.Desired(state), _timers);
            Assert.Equal(state.Status == Running, _timers.ContainsKey(ExecutionTimers.LeaseTimer));
            Assert.Equal(!state.Status.IsTerminal() && state.Timeouts?.ExecutionMs is not null, _timers.ContainsKey(ExecutionTimers.DeadlineTimer));
            if (_timers.TryGetValue(ExecutionTimers.LeaseTimer, out var leaseDue))
            {
                Assert.Equal(state.LeaseExpiresAt, leaseDue);
            }
            Assert.Equal(state.Status == Queued && state.AvailableAt > state.UpdatedAt, _timers.ContainsKey(ExecutionTimers.AvailableTimer));
            if (_timers.TryGetValue(ExecutionTimers.AvailableTimer, out var availableDue))
            {
                Assert.Equal(state.AvailableAt, availableDue);
            }
            var expiring = state.Status.IsTerminal()
                ? []
                : state.Approvals.Where(a => a is { Status: ApprovalStatus.Pending, ExpiresAt: not null })
                    .ToDictionary(a => ExecutionTimers.ApprovalPrefix + a.ToolCallId, a => a.ExpiresAt!.Value, StringComparer.Ordinal);
            Assert.Equal(expiring, _timers.Where(t => t.Key.StartsWith(ExecutionTimers.ApprovalPrefix, StringComparison.Ordinal)).ToDictionary(StringComparer.Ordinal));

            if (decision.Events.Count == 0)
            {
                Assert.Same(before, state);
            }
        }
    }
}
