using System.Text.Json.Serialization;

namespace Levee.Client;

/// <summary>The state of one approval.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApprovalStatus>))]
public enum ApprovalStatus
{
    /// <summary>Not decided yet.</summary>
    [JsonStringEnumMemberName("pending")]
    Pending,
    /// <summary>Approved.</summary>
    [JsonStringEnumMemberName("approved")]
    Approved,
    /// <summary>Denied.</summary>
    [JsonStringEnumMemberName("denied")]
    Denied,
    /// <summary>Its timeout passed without a decision (counts as denied).</summary>
    [JsonStringEnumMemberName("expired")]
    Expired,
}
