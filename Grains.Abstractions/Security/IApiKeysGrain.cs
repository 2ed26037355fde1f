namespace Levee.Security;

/// <summary>
/// The cluster's tenant API keys (one activation, key <see cref="Key"/>). Gateways cache
/// authenticated keys and register a <see cref="IApiKeyWatcher"/> here; a revoke returns only
/// after every registered gateway has dropped the key, or failed to answer within a second and
/// was dropped itself. Every registration answers with the grain's revocation token, which
/// changes with every revoke (and with every new activation): a gateway that sees a token it was
/// not told about may have missed a revoke, and clears its cache.
/// </summary>
[Alias("Levee.IApiKeysGrain")]
public interface IApiKeysGrain : IGrainWithStringKey
{
    /// <summary>The one key this grain is used with.</summary>
    public const string Key = "keys";

    /// <summary>Creates a key for a tenant's project; the secret is returned only here.</summary>
    [Alias("Create")]
    Task<NewApiKey> CreateAsync(string tenant, string project, IReadOnlyList<string> scopes);

    /// <summary>All keys that are not revoked.</summary>
    [Alias("List")]
    Task<IReadOnlyList<ApiKeyInfo>> ListAsync();

    /// <summary>Revokes a key everywhere; false when there is no such active key.</summary>
    [Alias("Revoke")]
    Task<bool> RevokeAsync(string id);

    /// <summary>Registers (or renews) a gateway's cache and returns the current revocation token; registrations expire after <see cref="Levee.Streams.WatchRenewal.Expiry"/>.</summary>
    [Alias("Watch"), Orleans.Concurrency.AlwaysInterleave]
    Task<string> WatchAsync(IApiKeyWatcher watcher);
}

/// <summary>
/// Authenticates bearer secrets on any silo (a stateless worker reading the key table, or
/// comparing the silo's configured admin key). Key: <see cref="Key"/>.
/// </summary>
[Alias("Levee.IApiKeyAuthGrain")]
public interface IApiKeyAuthGrain : IGrainWithStringKey
{
    /// <summary>The one key this grain is used with.</summary>
    public const string Key = "auth";

    /// <summary>The key whose secret hashes to <paramref name="secretHash"/> (<see cref="ApiKeySecrets.Hash"/>), or null when unknown or revoked.</summary>
    [Alias("Authenticate")]
    Task<ApiKeyInfo?> AuthenticateAsync(string secretHash);
}

/// <summary>A gateway's key cache, told of revocations (awaited: the revoke waits for it).</summary>
[Alias("Levee.IApiKeyWatcher")]
public interface IApiKeyWatcher : IGrainObserver
{
    /// <summary>Drops the key from the cache; <paramref name="token"/> is the revocation token after this revoke.</summary>
    [Alias("Revoked")]
    Task RevokedAsync(string keyId, string token);
}
