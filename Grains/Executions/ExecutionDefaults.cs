namespace Levee.Grains.Executions;

/// <summary>Defaults of the execution state machine.</summary>
internal static class ExecutionDefaults
{
    /// <summary>Lease duration when the execution sets no <c>timeouts.heartbeatMs</c>.</summary>
    public const long HeartbeatMs = 30_000;
}
