using Levee.Grains.Storage;

namespace Levee.Grains.Commits;

/// <summary>
/// What <see cref="CommittedState{TState, TEvent}"/> needs to know about one kind of grain: how
/// its row reads, how its events fold, what a decision commits, and what follows a commit. Each
/// decider grain implements it (explicitly, so it is not part of its grain interface).
/// </summary>
/// <typeparam name="TState">The grain's state record.</typeparam>
/// <typeparam name="TEvent">The grain's event type.</typeparam>
internal interface IGrainModel<TState, in TEvent>
    where TState : class
{
    /// <summary>The state stored in a row.</summary>
    TState ReadState(ReadOnlyMemory<byte> row);

    /// <summary>The state after <paramref name="events"/> (null: the grain's rows are deleted).</summary>
    TState? Fold(TState? state, IReadOnlyList<TEvent> events);

    /// <summary>
    /// Everything one decision commits atomically, from the state before to the state after, on
    /// the committed version and last sequence number it expects.
    /// </summary>
    ValueTask<GrainCommit> BuildCommitAsync(TState? before, TState? after, IReadOnlyList<TEvent> events, long version, long lastSeq, DateTimeOffset now);

    /// <summary>After a commit with events is durable, before the caller is answered: notifications and wake-ups.</summary>
    Task OnCommittedAsync(TState? state, long lastSeq, IReadOnlyList<TEvent> events);
}
