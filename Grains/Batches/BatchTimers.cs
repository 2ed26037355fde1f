using Levee.Grains.Commits;
using Levee.Grains.Storage;

namespace Levee.Grains.Batches;

/// <summary>
/// The durable timers a batch needs, derived from its state alone (see <c>ExecutionTimers</c>):
/// only the seal timeout, while the batch is pending and unsealed.
/// </summary>
internal static class BatchTimers
{
    public const string SealTimer = "seal";

    /// <summary>Timer name -> due time for <paramref name="state"/>.</summary>
    public static Dictionary<string, DateTimeOffset> Desired(BatchState? state) =>
        state is { Status: Levee.Batches.BatchStatus.Pending, Sealed: false }
            ? new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal) { [SealTimer] = state.SealDeadline }
            : new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);

    /// <summary>The changes that turn the timers of <paramref name="before"/> into those of <paramref name="after"/>.</summary>
    public static IReadOnlyList<TimerChange> Diff(BatchState? before, BatchState after) => TimerSets.Diff(Desired(before), Desired(after));
}
