using System.Text.Json.Serialization;

namespace Levee.Batches;

/// <summary>Why a batch was aborted (its status is then <see cref="BatchStatus.Aborted"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AbortReason>))]
[GenerateSerializer, Alias("Levee.AbortReason")]
public enum AbortReason
{
    /// <summary>Cancelled by a caller (<c>POST /v1/batches/{id}/cancel</c>).</summary>
    [JsonStringEnumMemberName("cancelled")]
    Cancelled,
    /// <summary>Not sealed within its <c>sealTimeoutMs</c>.</summary>
    [JsonStringEnumMemberName("seal_timeout")]
    SealTimeout,
    /// <summary>Still running at <c>ceilings.deadlineMs</c> after creation.</summary>
    [JsonStringEnumMemberName("deadline")]
    Deadline,
    /// <summary>Too many failures: <c>ceilings.maxFailureRate</c> exceeded, or <c>ceilings.maxConsecutiveFailures</c> in a row.</summary>
    [JsonStringEnumMemberName("failure_rate")]
    FailureRate,
    /// <summary>The children's summed cost reached <c>ceilings.budget.limit</c>.</summary>
    [JsonStringEnumMemberName("budget")]
    Budget,
}
