using System.Text.Json;

namespace Levee.Executions;

/// <summary>
/// A fire-and-forget report from a worker or callback: delivered at least once, in any order.
/// It never regresses an execution; late or duplicate reports are ignored, not refused.
/// </summary>
[GenerateSerializer, Immutable, Alias("Levee.ReportEvent")]
public sealed record ReportEvent
{
    /// <summary>A status to merge (monotone: queued &lt; running = waiting &lt; terminal).</summary>
    [Id(0)]
    public ExecutionStatus? Status { get; init; }
    /// <summary>A custom event type, recorded on the log as a <c>report</c> event.</summary>
    [Id(1)]
    public string? Type { get; init; }
    /// <summary>The attempt the report belongs to; reports for other attempts are ignored.</summary>
    [Id(2)]
    public int? Attempt { get; init; }
    /// <summary>Per-attempt sequence number: orders reports and drops duplicates.</summary>
    [Id(3)]
    public long? Seq { get; init; }
    /// <summary>Output, with a terminal status.</summary>
    [Id(4)]
    public JsonElement? Output { get; init; }
    /// <summary>Error, with a failed status.</summary>
    [Id(5)]
    public ExecutionError? Error { get; init; }
    /// <summary>Free-form data of a custom event.</summary>
    [Id(6)]
    public JsonElement? Data { get; init; }
    /// <summary>When the reporter observed it (informational).</summary>
    [Id(7)]
    public DateTimeOffset? At { get; init; }
    /// <summary>Cost to add to the execution's (at least 0; the gateway drops and counts any other).</summary>
    [Id(8)]
    public decimal? Cost { get; init; }
}

/// <summary>What became of one fire-and-forget report.</summary>
[GenerateSerializer, Alias("Levee.ReportResult")]
public enum ReportResult
{
    /// <summary>It changed the execution or was appended to its log.</summary>
    Applied,
    /// <summary>Late, duplicate, for another attempt, or on a terminal execution.</summary>
    Ignored,
    /// <summary>No such execution.</summary>
    Unknown,
}
