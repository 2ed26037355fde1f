namespace Levee.Security;

/// <summary>Tenant API keys, stored hashed.</summary>
public interface IApiKeyStore
{
    /// <summary>Creates a key; the secret is returned only here.</summary>
    Task<NewApiKey> CreateAsync(string tenant, string project, IReadOnlyList<string> scopes, CancellationToken cancellationToken);

    /// <summary>All keys that are not revoked.</summary>
    Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Revokes a key; it stops working at once. False when there is no such active key.</summary>
    Task<bool> RevokeAsync(string id, CancellationToken cancellationToken);

    /// <summary>The key a bearer secret belongs to, or null when unknown or revoked.</summary>
    ValueTask<ApiKeyInfo?> AuthenticateAsync(string secret, CancellationToken cancellationToken);
}
