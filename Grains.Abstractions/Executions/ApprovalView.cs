using System.Text.Json;
using System.Text.Json.Serialization;

namespace Levee.Executions;

/// <summary>The state of an approval.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApprovalStatus>))]
public enum ApprovalStatus
{
    /// <summary>Waiting for a decision.</summary>
    [JsonStringEnumMemberName("pending")]
    Pending,
    /// <summary>Approved.</summary>
    [JsonStringEnumMemberName("approved")]
    Approved,
    /// <summary>Denied.</summary>
    [JsonStringEnumMemberName("denied")]
    Denied,
    /// <summary>Timed out before a decision (counts as denied).</summary>
    [JsonStringEnumMemberName("expired")]
    Expired,
}

/// <summary>An approval (hook) requested by an execution.</summary>
public sealed record ApprovalView
{
    /// <summary>Identifies the tool call.</summary>
    public required string ToolCallId { get; init; }
    /// <summary>The tool.</summary>
    public required string Tool { get; init; }
    /// <summary>The call's input.</summary>
    public JsonElement? Input { get; init; }
    /// <summary>Status.</summary>
    public required ApprovalStatus Status { get; init; }
    /// <summary>The decider's reason.</summary>
    public string? Reason { get; init; }
    /// <summary>When requested.</summary>
    public required DateTimeOffset RequestedAt { get; init; }
    /// <summary>When decided (or expired).</summary>
    public DateTimeOffset? DecidedAt { get; init; }
    /// <summary>When it expires if undecided.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>What a waiting execution waits for.</summary>
/// <param name="Kind"><c>approval</c> (or <c>batch</c>, with batches).</param>
/// <param name="Id">The tool call id (or batch id).</param>
public sealed record WaitingFor(string Kind, string Id);
