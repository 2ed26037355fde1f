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

    /// <summary>Timer name -> due time for <paramref name="state"/>.</summary>
    public static Dictionary<string, DateTimeOffset> Desired(BatchState? state)
    {
        var timers = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
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
    public static IReadOnlyList<TimerChange> Diff(BatchState? before, BatchState after) => TimerSets.Diff(Desired(before), Desired(after));
}
