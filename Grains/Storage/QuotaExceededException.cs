namespace Levee.Grains.Storage;

/// <summary>Which stored quantity a quota limits.</summary>
public enum QuotaResource
{
    /// <summary>Executions stored (<see cref="QuotaCheck.MaxExecutions"/>).</summary>
    Executions,
    /// <summary>Event payload bytes stored (<see cref="QuotaCheck.MaxEventBytes"/>).</summary>
    EventBytes,
}

/// <summary>
/// A commit carrying a <see cref="QuotaCheck"/> would have taken its tenant over a limit: it was
/// rolled back alone (nothing of it is stored), and its grain refuses the command.
/// </summary>
/// <param name="tenant">The tenant.</param>
/// <param name="resource">The quantity over its limit.</param>
/// <param name="limit">The limit.</param>
/// <param name="usage">What the tenant stored before this commit.</param>
/// <param name="requested">What the commit would have added (or reserved).</param>
public sealed class QuotaExceededException(string tenant, QuotaResource resource, long limit, long usage, long requested)
    : InvalidOperationException($"Tenant '{tenant}' stores {usage} of its {limit} {resource}; a commit asking for {requested} more was refused.")
{
    /// <summary>The tenant.</summary>
    public string Tenant { get; } = tenant;
    /// <summary>The quantity over its limit.</summary>
    public QuotaResource Resource { get; } = resource;
    /// <summary>The limit.</summary>
    public long Limit { get; } = limit;
    /// <summary>What the tenant stored before the refused commit.</summary>
    public long Usage { get; } = usage;
    /// <summary>What the refused commit would have added (or reserved).</summary>
    public long Requested { get; } = requested;
}
