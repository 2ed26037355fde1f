using Levee.Runtime;

namespace Levee.Grains.Runtime;

/// <summary>
/// A grain's committed state and the loop every decider grain runs around it: decide on the
/// state in memory, commit events + state with a compare-and-set on the version, and when another
/// activation wrote first, reload and decide again. After a commit whose outcome is unknown (an
/// exception), nothing in memory is trusted until reloaded.
/// </summary>
/// <typeparam name="TState">The grain's state record.</typeparam>
internal sealed class CommittedState<TState>(GrainId id, IGrainStorage storage, TimeProvider clock, Func<ReadOnlyMemory<byte>, TState> read)
    where TState : class
{
    /// <summary>Conflicts in a row before giving up; each one means another activation made progress.</summary>
    private const int MaxConflictRounds = 16;

    private bool _stale = true;
    private bool _loadedOnce;

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
    /// Decides and commits. <paramref name="commit"/> builds the commit from (state before, state
    /// after, decision, now); <paramref name="refused"/> turns a refusal other than a version
    /// conflict into a decision (e.g. an Idempotency-Key held elsewhere).
    /// </summary>
    public async Task<TDecision> RunAsync<TDecision, TEvent>(
        Func<TState?, DateTimeOffset, TDecision> decide,
        Func<TState?, IReadOnlyList<TEvent>, TState> fold,
        Func<TState?, TState, TDecision, DateTimeOffset, GrainCommit> commit,
        Func<CommitStatus, TDecision>? refused = null,
        Action<TDecision, DateTimeOffset>? committed = null)
        where TDecision : IDecision<TEvent>
    {
        await EnsureFreshAsync();
        for (var round = 0; ; round++)
        {
            var now = clock.GetUtcNow();
            var decision = decide(State, now);
            if (decision.Rejection is not null || decision.Events.Count == 0)
            {
                return decision;
            }
            var next = fold(State, decision.Events);
            CommitOutcome outcome;
            try
            {
                outcome = await storage.CommitAsync(commit(State, next, decision, now), CancellationToken.None);
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
                    committed?.Invoke(decision, now);
                    return decision;
                case CommitStatus.VersionConflict when round < MaxConflictRounds:
                    await LoadAsync();
                    break;
                case CommitStatus.VersionConflict:
                    throw new InvalidOperationException($"Grain {id} lost {MaxConflictRounds} version races in a row.");
                default:
                    return refused is not null ? refused(outcome.Status) : throw new InvalidOperationException($"Grain {id}: commit refused ({outcome.Status}).");
            }
        }
    }

    private async Task LoadAsync()
    {
        var stored = await storage.ReadAsync(id, CancellationToken.None);
        (State, Version, LastSeq) = stored is null ? (null, 0L, 0L) : (read(stored.State), stored.Version, stored.LastSeq);
        // "Does not exist" is never cached: another transaction may create the grain (a batch
        // spawns its children without activating them), so an absent row is read again next time.
        (_stale, _loadedOnce) = (stored is null, true);
    }
}
