using Levee.Security;
using Levee.Silo.Tests.Infrastructure;

namespace Levee.Silo.Tests.Grains;

/// <summary>Keys through grains: authenticated on any silo, and a revoke reaches every registered cache before it returns.</summary>
public sealed class ApiKeysGrainTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private LeveeTestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LeveeTestCluster.StartAsync(_dir.File("levee.db"));

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _dir.Dispose();
    }

    private IApiKeysGrain Keys => _cluster.Client.GetGrain<IApiKeysGrain>(IApiKeysGrain.Key);

    [Fact]
    public async Task AuthenticateAsync_OnEverySilo_KnowsTheNewKeyAndTheAdminKeyAndNothingElse()
    {
        var created = await Keys.CreateAsync("acme", "prod", [ApiScopes.Executions]);

        for (var silo = 0; silo < 2; silo++)
        {
            var auth = _cluster.GrainsOn(silo).GetGrain<IApiKeyAuthGrain>(IApiKeyAuthGrain.Key);
            var key = await auth.AuthenticateAsync(ApiKeySecrets.Hash(created.Secret));
            Assert.Equal((created.Info.Id, "acme", "prod"), (key!.Id, key.Tenant, key.Project));
            Assert.Equal([ApiScopes.Admin], (await auth.AuthenticateAsync(ApiKeySecrets.Hash("test-admin-key")))!.Scopes);
            Assert.Null(await auth.AuthenticateAsync(ApiKeySecrets.Hash("lv_unknown")));
        }
    }

    [Fact]
    public async Task RevokeAsync_TellsEveryRegisteredCacheBeforeItReturns_AndDropsOneThatDoesNotAnswer()
    {
        var created = await Keys.CreateAsync("acme", "prod", [ApiScopes.Executions]);
        var listening = new Watcher(hang: false);
        var hanging = new Watcher(hang: true);
        var tokenBefore = await Keys.WatchAsync(_cluster.Client.CreateObjectReference<IApiKeyWatcher>(listening));
        await Keys.WatchAsync(_cluster.Client.CreateObjectReference<IApiKeyWatcher>(hanging));

        Assert.True(await Keys.RevokeAsync(created.Info.Id));

        // Told before the revoke returned (the hanging one was given up on after a second).
        Assert.Equal([created.Info.Id], listening.Revoked);
        Assert.NotEqual(tokenBefore, listening.Token);
        Assert.Null(await _cluster.Client.GetGrain<IApiKeyAuthGrain>(IApiKeyAuthGrain.Key).AuthenticateAsync(ApiKeySecrets.Hash(created.Secret)));
        Assert.False(await Keys.RevokeAsync(created.Info.Id));
        GC.KeepAlive(hanging);
    }

    private sealed class Watcher(bool hang) : IApiKeyWatcher
    {
        public List<string> Revoked { get; } = [];
        public string? Token { get; private set; }

        public async Task RevokedAsync(string keyId, string token)
        {
            if (hang)
            {
                await Task.Delay(TimeSpan.FromSeconds(30));
            }
            Revoked.Add(keyId);
            Token = token;
        }
    }
}
