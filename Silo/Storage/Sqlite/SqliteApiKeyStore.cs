using Levee.Grains.Storage;
using Levee.Security;
using Microsoft.Data.Sqlite;

namespace Levee.Silo.Storage.Sqlite;

/// <summary>Tenant API keys in SQLite, stored as SHA-256 hashes of their secrets.</summary>
internal sealed class SqliteApiKeyStore(SqliteDatabase database) : IApiKeyStore
{
    public Task InsertAsync(ApiKeyInfo key, string secretHash, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        database.Write(session => session.Execute(SqliteSql.InsertApiKey, ("$id", key.Id), ("$tenant", key.Tenant), ("$project", key.Project),
            ("$scopes", string.Join(',', key.Scopes)), ("$secret_hash", secretHash), ("$created_at", key.CreatedAt.ToUnixTimeMilliseconds())));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<ApiKeyInfo>>(database.Read(session =>
        {
            using var reader = session.Command(SqliteSql.ListApiKeys).ExecuteReader();
            var keys = new List<ApiKeyInfo>();
            while (reader.Read())
            {
                keys.Add(ReadKey(reader));
            }
            return keys;
        }));
    }

    public Task<bool> RevokeAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(database.Write(session => session.Execute(SqliteSql.RevokeApiKey, ("$id", id), ("$now", now.ToUnixTimeMilliseconds())) == 1));
    }

    public Task<ApiKeyInfo?> FindAsync(string secretHash, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(database.Read(session =>
        {
            using var reader = session.With(SqliteSql.FindApiKey, ("$secret_hash", secretHash)).ExecuteReader();
            return reader.Read() ? ReadKey(reader) : null;
        }));
    }

    private static ApiKeyInfo ReadKey(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3).Split(',', StringSplitOptions.RemoveEmptyEntries),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)));
}
