using Levee.Executions;
using Levee.Grains.Storage;
using Levee.Security;
using Levee.Silo.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Levee.Silo.Hosting;

/// <summary>
/// With no admin key configured, makes the silo usable at once: a development admin key and a
/// tenant key (tenant <c>dev</c>, project <c>default</c>), both kept in owner-only files
/// beside the database so they survive restarts, and printed on start.
/// </summary>
internal static class DevelopmentKeys
{
    public static string EnsureAdminKey(IConfiguration configuration, string dataDirectory, ILogger logger)
    {
        var path = Path.Combine(dataDirectory, "admin.key");
        if (!File.Exists(path))
        {
            PrivateFiles.WriteText(path, ApiKeySecrets.NewSecret("lvadmin_"), logger);
        }
        else
        {
            PrivateFiles.Restrict(path, logger);
        }
        var key = File.ReadAllText(path).Trim();
        configuration["Levee:AdminKey"] = key;
        return key;
    }

    public static async Task<string> EnsureTenantKeyAsync(IApiKeyStore keys, TimeProvider clock, string dataDirectory, ILogger logger,
        CancellationToken cancellationToken)
    {
        var path = Path.Combine(dataDirectory, "dev-tenant.key");
        if (File.Exists(path))
        {
            PrivateFiles.Restrict(path, logger);
            var existing = File.ReadAllText(path).Trim();
            if (await keys.FindAsync(ApiKeySecrets.Hash(existing), cancellationToken) is not null)
            {
                return existing;
            }
        }
        var now = clock.GetUtcNow();
        var secret = ApiKeySecrets.NewSecret();
        await keys.InsertAsync(new ApiKeyInfo(ExecutionIds.New("key", now), "dev", "default", ApiScopes.TenantScopes, now), ApiKeySecrets.Hash(secret),
            cancellationToken);
        PrivateFiles.WriteText(path, secret, logger);
        return secret;
    }
}
