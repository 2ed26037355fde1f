using Levee.Grains.Diagnostics;
using Levee.Grains.Storage;

namespace Levee.Grains.Commits;

/// <summary>
/// A grain's committed state and the loop every decider grain runs around it: read what the
/// decision needs, decide on the state in memory, commit events + state with a compare-and-set
/// on the version, and when another activation wrote first, reload and decide again. After a
/// commit whose outcome is unknown (an exception), nothing in memory is trusted until reloaded.
/// Correctness never rests on Orleans' single activation: two activations of one grain (a
/// membership change, two clusters on one database) both run this loop, and only one of them
/// wins each version.
/// </summary>
/// <typeparam name="TState">The grain's state record.</typeparam>
/// <typeparam name="TEvent">The grain's event type.</typeparam>
internal sealed class CommittedState<TState, TEvent>(GrainId id, ICommitStore store, TimeProvider clock, IGrainModel<TState, TEvent> model)
    where TState : class
{
    /// <summary>
    /// How long a command keeps deciding again after conflicts before giving up (an error the
    /// caller may retry). Each conflict means another activation made progress; a busy one can
    /// win many rounds in a row, so the loser backs off a little more each round.
    /// </summary>
    private static readonly TimeSpan ConflictBudget = TimeSpan.FromSeconds(10);

    private bool _stale = true;
    private bool _loadedOnce;

    public GrainId Id { get; } = id;
    public TState? State { get; private set; }
    public long Version { get; private set; }
    public long LastSeq { get; private set; }

    /// <summary>
    /// On a fresh activation, decide the next command as if the grain did not exist instead of
    /// reading first: its insert is itself a compare-and-set on "does not exist", so if it does
    /// exist the commit conflicts and the command is decided again on the loaded state.
    /// </summary>
    public void AssumeNewIfUnread()
    {
        if (_stale && !_loadedOnce)
        {
            (State, Version, LastSeq, _stale) = (null, 0, 0, false);
        }
    }

    public Task EnsureFreshAsync() => _stale ? LoadAsync() : Task.CompletedTask;

    /// <summary>
    /// Re-read before the next decision. Timers and outbox messages call this: they may concern
    /// rows another transaction wrote (a batch spawning this child, another silo), and a decision
    /// that changes nothing on stale state would make the caller delete a timer or message that
    /// still matters.
    /// </summary>
    public void Invalidate() => _stale = true;

    /// <summary>
    /// Decides and commits. <paramref name="decide"/> may read (it runs again after a conflict,
    /// so what it read is fresh for the version it decides on). A decision with events that is
    /// returned has committed, and the model's <see cref="IGrainModel{TState, TEvent}.OnCommittedAsync"/> has run.
    /// </summary>
    public Task<TDecision> RunAsync<TDecision>(Func<TState?, DateTimeOffset, ValueTask<TDecision>> decide)
        where TDecision : IDecision<TEvent> =>
        // Every command runs this: without a listener (telemetry off) it pays for no span, no
        // measurement and no extra async frame.
        GrainTelemetry.Source.HasListeners() || GrainTelemetry.Commands.Enabled ? TracedAsync(decide) : DecideAndCommitAsync(decide);

    /// <summary>One span per command (a child of the incoming grain call's, which the commit's span joins) and its count by outcome.</summary>
    private async Task<TDecision> TracedAsync<TDecision>(Func<TState?, DateTimeOffset, ValueTask<TDecision>> decide)
        where TDecision : IDecision<TEvent>
    {
        using var span = GrainTelemetry.Source.StartActivity("levee.command");
        span?.SetTag("levee.grain", Id.ToString());
        var outcome = "failed";
        try
        {
            var decision = await DecideAndCommitAsync(decide);
            outcome = decision.Rejection is not null ? "rejected" : decision.Events.Count == 0 ? "unchanged" : "applied";
            span?.SetTag("levee.events", decision.Events.Count);
            return decision;
        }
        finally
        {
            span?.SetTag("levee.outcome", outcome);
            if (GrainTelemetry.Commands.Enabled)
            {
                GrainTelemetry.Commands.Add(1, new KeyValuePair<string, object?>("levee.grain", Id.Type.ToString()), new KeyValuePair<string, object?>("levee.outcome", outcome));
            }
        }
    }

    private async Task<TDecision> DecideAndCommitAsync<TDecision>(Func<TState?, DateTimeOffset, ValueTask<TDecision>> decide)
        where TDecision : IDecision<TEvent>
    {
        await EnsureFreshAsync();
        var started = clock.GetTimestamp();
        for (var round = 0; ; round++)
        {
            var now = clock.GetUtcNow();
            var decision = await decide(State, now);
            if (decision.Rejection is not null || decision.Events.Count == 0)
            {
                // "Does not exist" is never cached, assumed or read (see LoadAsync): a refused
                // create of a batch child's id must not hide the child its batch spawns later.
                _stale |= State is null;
                return decision;
            }
            var next = model.Fold(State, decision.Events);
            CommitOutcome outcome;
            try
            {
                outcome = await store.CommitAsync(await model.BuildCommitAsync(State, next, decision.Events, Version, LastSeq, now), CancellationToken.None);
            }
            catch
            {
                // The commit may or may not have landed: trust nothing in memory until reloaded.
                _stale = true;
                throw;
            }
            switch (outcome.Status)
            {
                case CommitStatus.Committed:
                    (State, Version, LastSeq, _stale) = (next, outcome.Version, outcome.LastSeq, false);
                    await model.OnCommittedAsync(State, LastSeq, decision.Events);
                    return decision;
                case CommitStatus.VersionConflict when clock.GetElapsedTime(started) < ConflictBudget:
                    if (round > 0)
                    {
                        // Jittered, growing up to 20 ms: lets the winner's backlog drain instead of racing it again at once.
                        await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(0, Math.Min(20, 1 << Math.Min(round, 5)))), clock);
                    }
                    await LoadAsync();
                    break;
                case CommitStatus.VersionConflict:
                    throw new InvalidOperationException($"Grain {Id} lost every version race for {ConflictBudget.TotalSeconds} s ({round + 1} rounds).");
                default:
                    throw new InvalidOperationException($"Grain {Id}: unexpected commit status {outcome.Status} — a bug.");
            }
        }
    }

    /// <summary>Decides with a pure decider (no read) and commits.</summary>
    public Task<TDecision> RunAsync<TDecision>(Func<TState?, DateTimeOffset, TDecision> decide)
        where TDecision : IDecision<TEvent> =>
        RunAsync((state, now) => ValueTask.FromResult(decide(state, now)));

    private async Task LoadAsync()
    {
        var stored = await store.ReadAsync(Id, CancellationToken.None);
        (State, Version, LastSeq) = stored is null ? (null, 0L, 0L) : (model.ReadState(stored.State), stored.Version, stored.LastSeq);
        // "Does not exist" is never cached: another transaction may create the grain (a batch
        // spawns its children without activating them), so an absent row is read again next time.
        (_stale, _loadedOnce) = (stored is null, true);
    }
}
