using Levee.Grains.Storage;

namespace Levee.Grains.Quotas;

/// <summary>
/// Storage quotas per tenant (<c>Levee:Grains:Quota:*</c>), off by default. They limit what a
/// tenant stores now — deletes and retention's purges give room back — and are checked when new
/// data is admitted: creating an execution or a batch, appending output. A worker's claim,
/// report, heartbeat, completion or failure is never refused, so work in flight always finishes
/// (and may take the event bytes a little past their limit).
/// </summary>
public sealed class TenantQuota
{
    /// <summary>Most executions a tenant may store (batch children included); null: no limit.</summary>
    public long? MaxExecutions { get; set; }

    /// <summary>Most event-log payload bytes a tenant may store (inputs, outputs, reports of its executions and batches); null: no limit.</summary>
    public long? MaxEventBytes { get; set; }

    /// <summary>The check a commit admitting new data carries, with <paramref name="reserve"/> executions it admits but does not create yet; null when no quota is set.</summary>
    public QuotaCheck? Check(long reserve = 0) =>
        MaxExecutions is null && MaxEventBytes is null ? null : new QuotaCheck(MaxExecutions, MaxEventBytes, reserve);
}
