using System.Collections.Concurrent;
using Levee.Security;

namespace Levee.Silo.Security;

/// <summary>
/// Keeps authenticated keys in memory so the hot path does not query the database for every
/// request. A revoke through this silo evicts at once; entries also expire after
/// <see cref="Ttl"/> so a revoke made elsewhere takes effect within it.
/// </summary>
internal sealed class CachingApiKeyStore(IApiKeyStore inner, TimeProvider clock) : IApiKeyStore
{
    /// <summary>Most entries kept; beyond it the cache is cleared (keys are few; this bounds abuse).</summary>
    private const int MaxEntries = 10_000;
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (ApiKeyInfo Key, DateTimeOffset Until)> _cache = new();

    public Task<NewApiKey> CreateAsync(string tenant, string project, IReadOnlyList<string> scopes, CancellationToken cancellationToken) =>
        inner.CreateAsync(tenant, project, scopes, cancellationToken);

    public Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

    public async Task<bool> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        var revoked = await inner.RevokeAsync(id, cancellationToken);
        foreach (var (hash, entry) in _cache)
        {
            if (entry.Key.Id == id)
            {
                _cache.TryRemove(hash, out _);
            }
        }
        return revoked;
    }

    public async ValueTask<ApiKeyInfo?> AuthenticateAsync(string secret, CancellationToken cancellationToken)
    {
        var hash = ApiKeySecrets.Hash(secret);
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(hash, out var entry) && entry.Until > now)
        {
            return entry.Key;
        }
        var key = await inner.AuthenticateAsync(secret, cancellationToken);
        if (key is null)
        {
            _cache.TryRemove(hash, out _);
            return null;
        }
        if (_cache.Count >= MaxEntries)
        {
            _cache.Clear();
        }
        _cache[hash] = (key, now + Ttl);
        return key;
    }
}
