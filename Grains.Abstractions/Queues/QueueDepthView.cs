namespace Levee.Queues;

/// <summary>The queued executions of one queue, as the operator's queue view shows them.</summary>
/// <param name="Queue">The queue.</param>
/// <param name="Depth">Executions queued, due or not (a retry's backoff, a delayed start).</param>
/// <param name="Ready">Of those, the ones due now: what claims would hand out.</param>
/// <param name="OldestReadyAt">When the longest-waiting due one became due; null when none is due.</param>
[GenerateSerializer, Immutable, Alias("Levee.QueueDepthView")]
public sealed record QueueDepthView(
    [property: Id(0)] string Queue,
    [property: Id(1)] long Depth,
    [property: Id(2)] long Ready,
    [property: Id(3)] DateTimeOffset? OldestReadyAt);
