namespace Levee.Quotas;

/// <summary>Reads tenants' storage usage (a stateless worker on every silo). Key: <see cref="Key"/>.</summary>
[Alias("Levee.ITenantUsageGrain")]
public interface ITenantUsageGrain : IGrainWithStringKey
{
    /// <summary>The one key this grain is used with.</summary>
    public const string Key = "usage";

    /// <summary>One tenant's usage (zero when it stores nothing).</summary>
    [Alias("Get")]
    Task<TenantUsageView> GetAsync(string tenant);

    /// <summary>Every tenant that stores anything, by name.</summary>
    [Alias("List")]
    Task<IReadOnlyList<TenantUsageView>> ListAsync();
}
