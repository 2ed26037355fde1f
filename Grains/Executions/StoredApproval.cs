using System.Text.Json;
using Levee.Executions;

namespace Levee.Grains.Executions;

/// <summary>
/// An approval as stored in an execution's state row and carried by its events; the resource
/// clients see is <see cref="ToView"/>, so the REST shape can change without changing stored rows.
/// </summary>
internal sealed record StoredApproval
{
    public required string ToolCallId { get; init; }
    public required string Tool { get; init; }
    public JsonElement? Input { get; init; }
    public required ApprovalStatus Status { get; init; }
    public string? Reason { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
    public DateTimeOffset? DecidedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }

    public ApprovalView ToView() => new()
    {
        ToolCallId = ToolCallId, Tool = Tool, Input = Input, Status = Status, Reason = Reason, RequestedAt = RequestedAt, DecidedAt = DecidedAt,
        ExpiresAt = ExpiresAt,
    };
}
