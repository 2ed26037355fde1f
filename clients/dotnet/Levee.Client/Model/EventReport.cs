using System.Text.Json;

namespace Levee.Client;

/// <summary>One fire-and-forget report of <c>POST /v1/events</c>.</summary>
/// <param name="ExecutionId">The execution.</param>
/// <param name="Status">A status it reached.</param>
/// <param name="Type">A custom event type.</param>
/// <param name="Attempt">The attempt it is about.</param>
/// <param name="Seq">A sequence number per attempt: reports are deduplicated by it (a retried request re-sends the same ones).</param>
/// <param name="Output">Output of a success.</param>
/// <param name="Error">Error of a failure.</param>
/// <param name="Data">Payload of a custom event.</param>
/// <param name="At">When it happened.</param>
/// <param name="Cost">What it cost.</param>
public sealed record EventReport(
    string ExecutionId, ExecutionStatus? Status = null, string? Type = null, int? Attempt = null, long? Seq = null, JsonElement? Output = null,
    ExecutionError? Error = null, JsonElement? Data = null, DateTimeOffset? At = null, decimal? Cost = null);
