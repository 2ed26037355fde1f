namespace Levee.Cluster;

/// <summary>Answers <c>/readyz</c>: a silo reached through it is up and its storage answers. Key: <see cref="Key"/>.</summary>
[Alias("Levee.IReadinessGrain")]
public interface IReadinessGrain : IGrainWithStringKey
{
    /// <summary>The one key this grain is used with.</summary>
    public const string Key = "ready";

    /// <summary>True when the silo's storage answers a trivial query.</summary>
    [Alias("IsReady")]
    Task<bool> IsReadyAsync();
}
