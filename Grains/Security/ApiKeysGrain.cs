using Levee.Executions;
using Levee.Grains.Storage;
using Levee.Security;
using Levee.Streams;
using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace Levee.Grains.Security;

/// <summary>Creates, lists and revokes tenant keys, and tells every registered gateway cache of a revoke before it returns.</summary>
[GrainType("keys")]
internal sealed partial class ApiKeysGrain(IApiKeyStore keys, TimeProvider clock, ILogger<ApiKeysGrain> logger) : Grain, IApiKeysGrain
{
    /// <summary>How long a revoke waits for one gateway before dropping it.</summary>
    private static readonly TimeSpan NotifyTimeout = TimeSpan.FromSeconds(1);

    private readonly ObserverManager<IApiKeyWatcher> _watchers = new(WatchRenewal.Expiry, logger);
    // New per activation: a gateway registered with an earlier activation may have missed its revokes.
    private readonly string _activation = Guid.NewGuid().ToString("N")[..12];
    private long _revocations;

    private string Token => $"{_activation}:{_revocations}";

    public async Task<NewApiKey> CreateAsync(string tenant, string project, IReadOnlyList<string> scopes)
    {
        var now = clock.GetUtcNow();
        var info = new ApiKeyInfo(ExecutionIds.New("key", now), tenant, project, scopes, now);
        var secret = ApiKeySecrets.NewSecret();
        await keys.InsertAsync(info, ApiKeySecrets.Hash(secret), CancellationToken.None);
        return new NewApiKey(info, secret);
    }

    public Task<IReadOnlyList<ApiKeyInfo>> ListAsync() => keys.ListAsync(CancellationToken.None);

    public async Task<bool> RevokeAsync(string id)
    {
        var revoked = await keys.RevokeAsync(id, clock.GetUtcNow(), CancellationToken.None);
        if (!revoked)
        {
            return false;
        }
        _revocations++;
        var token = Token;
        var watchers = _watchers.ToArray();
        var answered = await Task.WhenAll(watchers.Select(async watcher =>
        {
            try
            {
                await watcher.RevokedAsync(id, token).WaitAsync(NotifyTimeout);
                return true;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return false;
            }
        }));
        for (var i = 0; i < watchers.Length; i++)
        {
            if (!answered[i])
            {
                // It clears its cache when it registers again and sees the new token.
                _watchers.Unsubscribe(watchers[i]);
                LogGatewayDropped(id);
            }
        }
        return true;
    }

    public Task<string> WatchAsync(IApiKeyWatcher watcher)
    {
        _watchers.Subscribe(watcher, watcher);
        return Task.FromResult(Token);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A gateway did not confirm the revoke of key {KeyId} within 1 s and was dropped; it clears its key cache when it registers again")]
    private partial void LogGatewayDropped(string keyId);
}
