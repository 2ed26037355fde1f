using Levee.Grains.Storage;
using Levee.Security;
using Npgsql;

namespace Levee.Silo.Storage.Postgres;

/// <summary>Tenant API keys on PostgreSQL, stored as SHA-256 hashes of their secrets (every silo reads the same rows).</summary>
internal sealed class PostgresApiKeyStore(PostgresDatabase database) : IApiKeyStore
{
    public Task InsertAsync(ApiKeyInfo key, string secretHash, CancellationToken cancellationToken) =>
        database.ExecuteAsync(PostgresSql.InsertApiKey, cancellationToken, key.Id, key.Tenant, key.Project, string.Join(',', key.Scopes), secretHash,
            key.CreatedAt.ToUnixTimeMilliseconds());

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken cancellationToken) =>
        await database.ListAsync(PostgresSql.ListApiKeys, ReadKey, cancellationToken);

    public async Task<bool> RevokeAsync(string id, DateTimeOffset now, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(PostgresSql.RevokeApiKey, cancellationToken, id, now.ToUnixTimeMilliseconds()) == 1;

    public async Task<ApiKeyInfo?> FindAsync(string secretHash, CancellationToken cancellationToken) =>
        (await database.ListAsync(PostgresSql.FindApiKey, ReadKey, cancellationToken, secretHash)).FirstOrDefault();

    private static ApiKeyInfo ReadKey(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3).Split(',', StringSplitOptions.RemoveEmptyEntries),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)));
}
