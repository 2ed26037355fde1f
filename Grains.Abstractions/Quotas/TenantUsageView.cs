namespace Levee.Quotas;

/// <summary>What a tenant stores, with the quotas that limit it (the admin usage API).</summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="Executions">Executions stored, batch children included.</param>
/// <param name="EventBytes">Event-log payload bytes stored.</param>
/// <param name="MaxExecutions">Its execution quota (<c>Levee:Grains:Quota:MaxExecutions</c>), or null for none.</param>
/// <param name="MaxEventBytes">Its event-byte quota (<c>Levee:Grains:Quota:MaxEventBytes</c>), or null for none.</param>
[GenerateSerializer, Immutable, Alias("Levee.TenantUsageView")]
public sealed record TenantUsageView(
    [property: Id(0)] string Tenant,
    [property: Id(1)] long Executions,
    [property: Id(2)] long EventBytes,
    [property: Id(3)] long? MaxExecutions,
    [property: Id(4)] long? MaxEventBytes);
