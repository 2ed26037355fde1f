namespace Levee.Idempotency;

/// <summary>Looks up claimed Idempotency-Keys (they are written by grain commits).</summary>
public interface IIdempotencyStore
{
    /// <summary>The live (unexpired) claim of a key, or null.</summary>
    Task<IdempotencyClaim?> FindAsync(string tenant, string project, string key, DateTimeOffset now, CancellationToken cancellationToken);
}
