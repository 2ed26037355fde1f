namespace Levee.Grains.Storage;

/// <summary>Answers whether storage is reachable (behind <c>/readyz</c>).</summary>
public interface IStorageHealth
{
    /// <summary>True when a trivial query succeeds.</summary>
    Task<bool> IsReadyAsync(CancellationToken cancellationToken);
}
