namespace Levee.Grains.Storage;

/// <summary>What a tenant stores now: the quantities storage quotas limit.</summary>
/// <param name="Executions">Executions stored (batch children included), until deleted or purged by retention.</param>
/// <param name="EventBytes">Payload bytes of the event logs of its executions and batches.</param>
public readonly record struct TenantUsage(long Executions, long EventBytes)
{
    /// <summary>The sum of two usages (or of a usage and a change).</summary>
    public static TenantUsage operator +(TenantUsage a, TenantUsage b) => new(a.Executions + b.Executions, a.EventBytes + b.EventBytes);
}
