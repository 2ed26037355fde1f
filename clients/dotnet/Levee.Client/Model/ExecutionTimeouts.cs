namespace Levee.Client;

/// <summary>An execution's deadlines.</summary>
/// <param name="ExecutionMs">From creation to <c>timed_out</c>.</param>
/// <param name="HeartbeatMs">How long a lease lasts without a heartbeat (default 30000).</param>
public sealed record ExecutionTimeouts(long? ExecutionMs = null, long? HeartbeatMs = null);
