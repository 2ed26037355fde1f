using System.Text.Json.Serialization;

namespace Levee.Client;

/// <summary>Where a batch is in its life; the last four are terminal.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BatchStatus>))]
public enum BatchStatus
{
    /// <summary>Created; items still arriving.</summary>
    [JsonStringEnumMemberName("pending")]
    Pending,
    /// <summary>Sealed; children running.</summary>
    [JsonStringEnumMemberName("processing")]
    Processing,
    /// <summary>Every child succeeded.</summary>
    [JsonStringEnumMemberName("completed")]
    Completed,
    /// <summary>Some children did not succeed.</summary>
    [JsonStringEnumMemberName("partial_failed")]
    PartialFailed,
    /// <summary>No child succeeded.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,
    /// <summary>Cancelled, or stopped by a ceiling or its seal timeout (see <see cref="Batch.AbortReason"/>).</summary>
    [JsonStringEnumMemberName("aborted")]
    Aborted,
}
