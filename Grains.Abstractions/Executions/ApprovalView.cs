using System.Text.Json;
using System.Text.Json.Serialization;

namespace Levee.Executions;

/// <summary>The state of an approval.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApprovalStatus>))]
[GenerateSerializer, Alias("Levee.ApprovalStatus")]
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
[GenerateSerializer, Immutable, Alias("Levee.ApprovalView")]
public sealed record ApprovalView
{
    /// <summary>Identifies the tool call.</summary>
    [Id(0)]
    public required string ToolCallId { get; init; }
    /// <summary>The tool.</summary>
    [Id(1)]
    public required string Tool { get; init; }
    /// <summary>The call's input.</summary>
    [Id(2)]
    public JsonElement? Input { get; init; }
    /// <summary>Status.</summary>
    [Id(3)]
    public required ApprovalStatus Status { get; init; }
    /// <summary>The decider's reason.</summary>
    [Id(4)]
    public string? Reason { get; init; }
    /// <summary>When requested.</summary>
    [Id(5)]
    public required DateTimeOffset RequestedAt { get; init; }
    /// <summary>When decided (or expired).</summary>
    [Id(6)]
    public DateTimeOffset? DecidedAt { get; init; }
    /// <summary>When it expires if undecided.</summary>
    [Id(7)]
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>What a waiting execution waits for.</summary>
/// <param name="Kind">An approval or a batch.</param>
/// <param name="Id">The tool call id, or the batch id.</param>
[GenerateSerializer, Immutable, Alias("Levee.WaitingFor")]
public sealed record WaitingFor([property: Id(0)] WaitKind Kind, [property: Id(1)] string Id);

/// <summary>What kind of thing a waiting execution waits for (<c>waitingFor.kind</c> on the wire).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WaitKind>))]
[GenerateSerializer, Alias("Levee.WaitKind")]
public enum WaitKind
{
    /// <summary>A pending approval; <see cref="WaitingFor.Id"/> is its tool call id.</summary>
    [JsonStringEnumMemberName("approval")]
    Approval,
    /// <summary>A batch to become terminal; <see cref="WaitingFor.Id"/> is the batch id.</summary>
    [JsonStringEnumMemberName("batch")]
    Batch,
}
