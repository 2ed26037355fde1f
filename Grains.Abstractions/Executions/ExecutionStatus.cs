using System.Text.Json.Serialization;

namespace Levee.Executions;

/// <summary>
/// The status of an execution. The wire names are snake_case (<c>timed_out</c>). The last four
/// values are terminal: once there, an execution never changes again.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ExecutionStatus>))]
[GenerateSerializer, Alias("Levee.ExecutionStatus")]
public enum ExecutionStatus
{
    /// <summary>Waiting for a worker; may carry a future <c>availableAt</c>.</summary>
    [JsonStringEnumMemberName("queued")]
    Queued,
    /// <summary>A worker holds it (or reported that it started).</summary>
    [JsonStringEnumMemberName("running")]
    Running,
    /// <summary>Suspended on approvals or on a batch; goes back to queued when resumed.</summary>
    [JsonStringEnumMemberName("waiting")]
    Waiting,
    /// <summary>Terminal: the work finished and produced its output.</summary>
    [JsonStringEnumMemberName("succeeded")]
    Succeeded,
    /// <summary>Terminal: the work failed and will not be retried.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,
    /// <summary>Terminal: cancelled by a client.</summary>
    [JsonStringEnumMemberName("cancelled")]
    Cancelled,
    /// <summary>Terminal: the execution deadline passed.</summary>
    [JsonStringEnumMemberName("timed_out")]
    TimedOut,
}
