using System.Text.Json;

namespace Levee.Client;

/// <summary>An approval an execution asked for, with its decision once made.</summary>
/// <param name="ToolCallId">Identifies the call within the execution.</param>
/// <param name="Tool">What the call does.</param>
/// <param name="Input">The call's arguments.</param>
/// <param name="Status">Pending, approved, denied or expired.</param>
/// <param name="Reason">Why it was decided so.</param>
/// <param name="RequestedAt">When it was asked for.</param>
/// <param name="DecidedAt">When it was decided.</param>
/// <param name="ExpiresAt">When it expires undecided.</param>
public sealed record Approval(
    string ToolCallId, string Tool, JsonElement? Input, ApprovalStatus Status, string? Reason, DateTimeOffset RequestedAt,
    DateTimeOffset? DecidedAt = null, DateTimeOffset? ExpiresAt = null);
