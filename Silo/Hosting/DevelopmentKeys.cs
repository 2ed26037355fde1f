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
/// beside the database so they survive restarts. A key is printed to the console (stdout) only
/// on the start that creates it, and never through a logger (log sinks keep and ship what
/// they get); later starts log where it is kept.
/// </summary>
internal sealed partial class DevelopmentKeys(string dataDirectory, TextWriter console, ILogger<DevelopmentKeys> logger)
{
    public const string AdminKeyFile = "admin.key";
    public const string TenantKeyFile = "dev-tenant.key";

    /// <summary>Sets <c>Levee:AdminKey</c> to the development admin key and makes sure the tenant key is stored, creating what is missing.</summary>
    public async Task EnsureAsync(IConfiguration configuration, IApiKeyStore keys, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (admin, adminCreated) = EnsureAdminKey();
        configuration["Levee:AdminKey"] = admin;
        var (tenant, tenantCreated) = await EnsureTenantKeyAsync(keys, clock, cancellationToken);

        var created = new List<string>();
        if (adminCreated)
        {
            created.Add($"  admin key:  {admin}");
        }
        if (tenantCreated)
        {
            created.Add($"  tenant key: {tenant}   (tenant 'dev', project 'default')");
        }
        if (created.Count > 0)
        {
            await console.WriteLineAsync(
                $"Levee development keys, shown only now (kept in {dataDirectory}; set Levee:AdminKey to disable):\n{string.Join('\n', created)}");
        }
        if (!adminCreated)
        {
            LogKept("admin", Path.Combine(dataDirectory, AdminKeyFile));
        }
        if (!tenantCreated)
        {
            LogKept("tenant", Path.Combine(dataDirectory, TenantKeyFile));
        }
    }

    private (string Secret, bool Created) EnsureAdminKey()
    {
        var path = Path.Combine(dataDirectory, AdminKeyFile);
        if (File.Exists(path))
        {
            PrivateFiles.Restrict(path, logger);
            return (File.ReadAllText(path).Trim(), false);
        }
        var secret = ApiKeySecrets.NewSecret("lvadmin_");
        PrivateFiles.WriteText(path, secret, logger);
        return (secret, true);
    }

    private async Task<(string Secret, bool Created)> EnsureTenantKeyAsync(IApiKeyStore keys, TimeProvider clock, CancellationToken cancellationToken)
    {
        var path = Path.Combine(dataDirectory, TenantKeyFile);
        if (File.Exists(path))
        {
            PrivateFiles.Restrict(path, logger);
            var existing = File.ReadAllText(path).Trim();
            if (await keys.FindAsync(ApiKeySecrets.Hash(existing), cancellationToken) is not null)
            {
                return (existing, false);
            }
        }
        var now = clock.GetUtcNow();
        var secret = ApiKeySecrets.NewSecret();
        await keys.InsertAsync(new ApiKeyInfo(ExecutionIds.New("key", now), "dev", "default", ApiScopes.TenantScopes, now), ApiKeySecrets.Hash(secret),
            cancellationToken);
        PrivateFiles.WriteText(path, secret, logger);
        return (secret, true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The development {Key} key is kept in {Path}; it is printed only on the start that creates it")]
    private partial void LogKept(string key, string path);
}
