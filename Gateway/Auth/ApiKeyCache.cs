using System.Collections.Concurrent;
using Levee.Security;
using Levee.Streams;
using Microsoft.Extensions.Logging;

namespace Levee.Gateway.Auth;

/// <summary>
/// The gateway's cache of authenticated keys, so a request does not cost a grain call per key
/// check. It caches only while it is registered with the keys grain (which tells it of every
/// revoke before the revoke returns), never caches an unknown key, and clears itself when the
/// grain's revocation token moved without telling it (it may have missed a revoke).
/// </summary>
public sealed partial class ApiKeyCache : IApiKeyWatcher, IAsyncDisposable
{
    /// <summary>Most keys kept; beyond it the cache starts over (keys are few; this bounds abuse).</summary>
    private const int MaxEntries = 10_000;
    /// <summary>A cached key is checked with the cluster again after this, whatever happened.</summary>
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);

    private readonly IGrainFactory _grains;
    private readonly TimeProvider _clock;
    private readonly ILogger<ApiKeyCache> _logger;
    private readonly ConcurrentDictionary<string, (ApiKeyInfo Key, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private IApiKeyWatcher? _reference;
    private Task? _renewals;
    private string? _token;
    private DateTimeOffset _registeredAt = DateTimeOffset.MinValue;

    /// <summary>Creates the cache.</summary>
    public ApiKeyCache(IGrainFactory grains, TimeProvider clock, ILogger<ApiKeyCache> logger) => (_grains, _clock, _logger) = (grains, clock, logger);

    /// <summary>The key a bearer secret belongs to, or null when unknown or revoked.</summary>
    public ValueTask<ApiKeyInfo?> AuthenticateAsync(string secret) => AuthenticateHashAsync(ApiKeySecrets.Hash(secret));

    /// <summary>
    /// The key a secret's hash belongs to, or null when unknown or revoked: what a dashboard session
    /// holds instead of the secret, checked again on every request so a revoke or a new admin key ends it.
    /// </summary>
    public async ValueTask<ApiKeyInfo?> AuthenticateHashAsync(string hash)
    {
        EnsureRegistering();
        var now = _clock.GetUtcNow();
        if (IsRegistered(now) && _cache.TryGetValue(hash, out var entry) && entry.Until > now)
        {
            return entry.Key;
        }
        var tokenBefore = Volatile.Read(ref _token);
        var key = await _grains.Grain<IApiKeyAuthGrain>(IApiKeyAuthGrain.Key).AuthenticateAsync(hash);
        if (key is null)
        {
            _cache.TryRemove(hash, out _);
            return null;
        }
        // A revoke that arrived while we asked may concern this very key: cache only what no revoke raced.
        lock (_gate)
        {
            if (IsRegistered(now) && tokenBefore is not null && tokenBefore == _token)
            {
                if (_cache.Count >= MaxEntries)
                {
                    _cache.Clear();
                }
                _cache[hash] = (key, now + Ttl);
            }
        }
        return key;
    }

    /// <inheritdoc />
    Task IApiKeyWatcher.RevokedAsync(string keyId, string token)
    {
        lock (_gate)
        {
            foreach (var (hash, entry) in _cache)
            {
                if (entry.Key.Id == keyId)
                {
                    _cache.TryRemove(hash, out _);
                }
            }
            _token = token;
        }
        return Task.CompletedTask;
    }

    private bool IsRegistered(DateTimeOffset now) => now - _registeredAt < WatchRenewal.Expiry;

    private void EnsureRegistering()
    {
        if (_renewals is not null)
        {
            return;
        }
        lock (_gate)
        {
            _reference ??= _grains.CreateObjectReference<IApiKeyWatcher>(this);
            _renewals ??= Task.Run(RenewAsync);
        }
    }

    private async Task RenewAsync()
    {
        var keys = _grains.Grain<IApiKeysGrain>(IApiKeysGrain.Key);
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                var token = await keys.WatchAsync(_reference!);
                lock (_gate)
                {
                    if (token != _token)
                    {
                        // A revoke we were not told of, or a new keys activation: start over.
                        _cache.Clear();
                        _token = token;
                    }
                    _registeredAt = _clock.GetUtcNow();
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogRegisterFailed(ex);
            }
            try
            {
                await Task.Delay(WatchRenewal.Interval, _clock, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_renewals is not null)
        {
            await _renewals;
        }
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not register the key cache with the cluster; keys are checked with the cluster on every request until it succeeds")]
    private partial void LogRegisterFailed(Exception exception);
}
