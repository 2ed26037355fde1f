using Levee.Security;

namespace Levee.Grains.Storage;

/// <summary>Tenant API keys, stored as hashes of their secrets.</summary>
public interface IApiKeyStore
{
    /// <summary>Stores a new key.</summary>
    Task InsertAsync(ApiKeyInfo key, string secretHash, CancellationToken cancellationToken);

    /// <summary>All keys that are not revoked.</summary>
    Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Revokes a key; false when there is no such active key.</summary>
    Task<bool> RevokeAsync(string id, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The active key with this secret hash, or null.</summary>
    Task<ApiKeyInfo?> FindAsync(string secretHash, CancellationToken cancellationToken);
}
