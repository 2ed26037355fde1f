using System.Text.Json.Serialization;

namespace Levee.Batches;

/// <summary>The status of a batch; the last four are terminal.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BatchStatus>))]
[GenerateSerializer, Alias("Levee.BatchStatus")]
public enum BatchStatus
{
    /// <summary>Accepting items (Phase 2).</summary>
    [JsonStringEnumMemberName("pending")]
    Pending,
    /// <summary>Sealed: every index accepted; children running.</summary>
    [JsonStringEnumMemberName("processing")]
    Processing,
    /// <summary>Terminal: every child succeeded.</summary>
    [JsonStringEnumMemberName("completed")]
    Completed,
    /// <summary>Terminal: all children terminal, some succeeded and some did not.</summary>
    [JsonStringEnumMemberName("partial_failed")]
    PartialFailed,
    /// <summary>Terminal: all children terminal, none succeeded.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,
    /// <summary>Terminal: cancelled, or not sealed before its seal timeout; created children were cancelled.</summary>
    [JsonStringEnumMemberName("aborted")]
    Aborted,
}
