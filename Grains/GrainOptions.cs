namespace Levee.Grains;

/// <summary>Settings the grains read (bound from <c>Levee:Grains</c>; the admin key's hash is set by the host from <c>Levee:AdminKey</c>).</summary>
public sealed class GrainOptions
{
    /// <summary>How long an Idempotency-Key stays bound to its first request (default 24 h), for executions and batches alike.</summary>
    public TimeSpan IdempotencyTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Largest <c>runCount</c> of a batch (default 1,000,000).</summary>
    public int MaxBatchRunCount { get; set; } = 1_000_000;

    /// <summary>Largest <c>ceilings.maxConcurrency</c> a batch may ask for (default 10,000).</summary>
    public int MaxBatchConcurrency { get; set; } = Levee.Batches.BatchCeilings.DefaultMaxConcurrency;

    /// <summary>
    /// House ceilings (<c>Levee:Grains:Batch:*</c>, e.g. <c>DeadlineMs</c>): a batch created without
    /// one of them gets it from here. Checked by the same rules as a request's on start.
    /// </summary>
    public Levee.Batches.BatchCeilings Batch { get; set; } = new();

    /// <summary>
    /// How long a terminal execution or batch is kept after it last changed (<c>Levee:Grains:Retention</c>,
    /// e.g. <c>30.00:00:00</c>); then it is deleted with its log and, for a batch, its children.
    /// Null (the default): kept for ever. It applies to what finishes while it is set.
    /// </summary>
    public TimeSpan? Retention { get; set; }

    /// <summary>Storage quotas per tenant (<c>Levee:Grains:Quota:MaxExecutions</c>, <c>MaxEventBytes</c>); off unless set.</summary>
    public Levee.Grains.Quotas.TenantQuota Quota { get; set; } = new();

    /// <summary>SHA-256 (hex) of the admin bearer key; null: no admin key.</summary>
    public string? AdminKeyHash { get; set; }
}
