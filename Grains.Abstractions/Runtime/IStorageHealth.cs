namespace Levee.Runtime;

/// <summary>Answers whether storage is reachable (used by <c>/readyz</c>).</summary>
public interface IStorageHealth
{
    /// <summary>True when a trivial query succeeds.</summary>
    Task<bool> IsReadyAsync(CancellationToken cancellationToken);
}
