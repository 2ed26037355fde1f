using Levee.Security;
using Levee.Silo.Storage.Sqlite;
using Microsoft.Extensions.Configuration;

namespace Levee.Silo.Hosting;

/// <summary>
/// With no admin key configured, makes the silo usable at once: a development admin key and a
/// tenant key (tenant <c>dev</c>, project <c>default</c>), both kept in files beside the
/// database so they survive restarts, and printed on start.
/// </summary>
internal static class DevelopmentKeys
{
    public static string EnsureAdminKey(IConfiguration configuration, string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "admin.key");
        if (!File.Exists(path))
        {
            File.WriteAllText(path, Security.ApiKeySecrets.NewSecret().Replace("lv_", "lvadmin_", StringComparison.Ordinal));
        }
        var key = File.ReadAllText(path).Trim();
        configuration["Levee:AdminKey"] = key;
        return key;
    }

    public static async Task<string> EnsureTenantKeyAsync(IApiKeyStore keys, string dataDirectory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(dataDirectory, "dev-tenant.key");
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (await keys.AuthenticateAsync(existing, cancellationToken) is not null)
            {
                return existing;
            }
        }
        var created = await keys.CreateAsync("dev", "default", ApiScopes.TenantScopes, cancellationToken);
        await File.WriteAllTextAsync(path, created.Secret, cancellationToken);
        return created.Secret;
    }

    public static string DataDirectory(SqliteDatabase database) => Path.GetDirectoryName(database.FilePath)!;
}
