using System.Text.Json.Serialization;

namespace Levee.Client;

/// <summary>Where an execution is in its life; the last four are terminal and never change again.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ExecutionStatus>))]
public enum ExecutionStatus
{
    /// <summary>Waiting for a worker (new, retried after a failure, resumed or released).</summary>
    [JsonStringEnumMemberName("queued")]
    Queued,
    /// <summary>A worker holds its lease.</summary>
    [JsonStringEnumMemberName("running")]
    Running,
    /// <summary>Suspended on an approval or a batch.</summary>
    [JsonStringEnumMemberName("waiting")]
    Waiting,
    /// <summary>Done with an output (terminal).</summary>
    [JsonStringEnumMemberName("succeeded")]
    Succeeded,
    /// <summary>Failed for good (terminal).</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,
    /// <summary>Cancelled (terminal).</summary>
    [JsonStringEnumMemberName("cancelled")]
    Cancelled,
    /// <summary>Its deadline passed (terminal).</summary>
    [JsonStringEnumMemberName("timed_out")]
    TimedOut,
}

/// <summary>Helpers on <see cref="ExecutionStatus"/>.</summary>
public static class ExecutionStatuses
{
    /// <summary>True for succeeded, failed, cancelled and timed_out.</summary>
    public static bool IsTerminal(this ExecutionStatus status) => status >= ExecutionStatus.Succeeded;
}
