using System.Text.Json;

namespace Levee.Executions;

/// <summary>
/// A fire-and-forget report from a worker or callback: delivered at least once, in any order.
/// It never regresses an execution; late or duplicate reports are ignored, not refused.
/// </summary>
public sealed record ReportEvent
{
    /// <summary>A status to merge (monotone: queued &lt; running = waiting &lt; terminal).</summary>
    public ExecutionStatus? Status { get; init; }
    /// <summary>A custom event type, recorded on the log as a <c>report</c> event.</summary>
    public string? Type { get; init; }
    /// <summary>The attempt the report belongs to; reports for other attempts are ignored.</summary>
    public int? Attempt { get; init; }
    /// <summary>Per-attempt sequence number: orders reports and drops duplicates.</summary>
    public long? Seq { get; init; }
    /// <summary>Output, with a terminal status.</summary>
    public JsonElement? Output { get; init; }
    /// <summary>Error, with a failed status.</summary>
    public ExecutionError? Error { get; init; }
    /// <summary>Free-form data of a custom event.</summary>
    public JsonElement? Data { get; init; }
    /// <summary>When the reporter observed it (informational).</summary>
    public DateTimeOffset? At { get; init; }
}

/// <summary>What became of one fire-and-forget report.</summary>
public enum ReportResult
{
    /// <summary>It changed the execution or was appended to its log.</summary>
    Applied,
    /// <summary>Late, duplicate, for another attempt, or on a terminal execution.</summary>
    Ignored,
    /// <summary>No such execution.</summary>
    Unknown,
}
