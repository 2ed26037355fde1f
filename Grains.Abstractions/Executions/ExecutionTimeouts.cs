namespace Levee.Executions;

/// <summary>Timeouts of an execution, in milliseconds; null means none.</summary>
/// <param name="ExecutionMs">Deadline from creation to a terminal status.</param>
/// <param name="HeartbeatMs">How long a worker's lease lasts without a heartbeat.</param>
[GenerateSerializer, Immutable, Alias("Levee.ExecutionTimeouts")]
public sealed record ExecutionTimeouts([property: Id(0)] long? ExecutionMs = null, [property: Id(1)] long? HeartbeatMs = null);
