using System.Text.Json.Serialization;

namespace Levee.Grains.Executions;

/// <summary>
/// How an execution's last attempt ended; null on the state while the attempt runs. A repeated
/// worker call with the same lease is answered from this (idempotent) instead of being refused.
/// The names are stored in state rows: never change them.
/// </summary>
internal enum AttemptEnd
{
    /// <summary>The worker completed it.</summary>
    [JsonStringEnumMemberName("succeeded")]
    Succeeded,
    /// <summary>The worker failed it, and it will not be retried.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,
    /// <summary>Cancelled while the attempt ran (the worker's next call learns it).</summary>
    [JsonStringEnumMemberName("cancelled")]
    Cancelled,
    /// <summary>The execution deadline passed during the attempt.</summary>
    [JsonStringEnumMemberName("timed_out")]
    TimedOut,
    /// <summary>The worker failed it and a retry is scheduled.</summary>
    [JsonStringEnumMemberName("retry")]
    Retry,
    /// <summary>The lease lapsed without a heartbeat; the holder never ended the attempt.</summary>
    [JsonStringEnumMemberName("expired")]
    Expired,
    /// <summary>Suspended for an approval or a batch; the resumed claim continues the same attempt.</summary>
    [JsonStringEnumMemberName("suspended")]
    Suspended,
    /// <summary>The lease holder released it unfinished (shutting down); the next claim continues the same attempt.</summary>
    [JsonStringEnumMemberName("released")]
    Released,
}

/// <summary>The attempt end a status change implies.</summary>
internal static class AttemptEnds
{
    /// <summary>The end of an attempt the execution's terminal <paramref name="status"/> closed.</summary>
    public static AttemptEnd Of(Levee.Executions.ExecutionStatus status) => status switch
    {
        Levee.Executions.ExecutionStatus.Succeeded => AttemptEnd.Succeeded,
        Levee.Executions.ExecutionStatus.Failed => AttemptEnd.Failed,
        Levee.Executions.ExecutionStatus.Cancelled => AttemptEnd.Cancelled,
        Levee.Executions.ExecutionStatus.TimedOut => AttemptEnd.TimedOut,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Only a terminal status ends an attempt — a bug."),
    };
}
