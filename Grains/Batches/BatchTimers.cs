using Levee.Grains.Commits;
using Levee.Grains.Storage;

namespace Levee.Grains.Batches;

/// <summary>
/// The durable timers a batch needs, derived from its state alone (see <c>ExecutionTimers</c>):
/// the seal timeout while the batch is pending and unsealed, and its deadline (if it has one)
/// while it is not terminal.
/// </summary>
internal static class BatchTimers
{
    public const string SealTimer = "seal";
    public const string DeadlineTimer = "deadline";
    public const string RetentionTimer = "retention";
    public const string PurgeTimer = "purge";

    /// <summary>
    /// Timer name -> due time for <paramref name="state"/>. A deleted batch has only its purge
    /// timer, due at once and moved by every page (so it fires again until no child is left, across
    /// crashes); a terminal one, with a <paramref name="retention"/>, its retention timer.
    /// </summary>
    public static Dictionary<string, DateTimeOffset> Desired(BatchState? state, TimeSpan? retention = null)
    {
        var timers = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        if (state is { DeletingAt: { } deleting })
        {
            timers[PurgeTimer] = deleting.AddMilliseconds(state.PurgedPages);
            return timers;
        }
        if (state is { IsTerminal: true } && retention is { } keep)
        {
            timers[RetentionTimer] = state.UpdatedAt + keep;
        }
        if (state is { Status: Levee.Batches.BatchStatus.Pending, Sealed: false })
        {
            timers[SealTimer] = state.SealDeadline;
        }
        if (state is { IsTerminal: false, Deadline: { } deadline })
        {
            timers[DeadlineTimer] = deadline;
        }
        return timers;
    }

    /// <summary>The changes that turn the timers of <paramref name="before"/> into those of <paramref name="after"/>.</summary>
    public static IReadOnlyList<TimerChange> Diff(BatchState? before, BatchState after, TimeSpan? retention = null) =>
        TimerSets.Diff(Desired(before, retention), Desired(after, retention));
}
