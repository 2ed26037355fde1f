namespace Levee.Executions;

/// <summary>Timeouts of an execution, in milliseconds; null means none.</summary>
/// <param name="ExecutionMs">Deadline from creation to a terminal status.</param>
/// <param name="HeartbeatMs">How long a worker's lease lasts without a heartbeat.</param>
public sealed record ExecutionTimeouts(long? ExecutionMs = null, long? HeartbeatMs = null);
