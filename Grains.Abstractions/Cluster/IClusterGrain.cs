namespace Levee.Cluster;

/// <summary>Builds the cluster view (a stateless worker, answered by the silo it runs on). Key: <see cref="Key"/>.</summary>
[Alias("Levee.IClusterGrain")]
public interface IClusterGrain : IGrainWithStringKey
{
    /// <summary>The one key this grain is used with.</summary>
    public const string Key = "cluster";

    /// <summary>The silos from membership, with the answering silo's own activity, and the execution totals.</summary>
    [Alias("Get")]
    Task<ClusterView> GetAsync();
}
