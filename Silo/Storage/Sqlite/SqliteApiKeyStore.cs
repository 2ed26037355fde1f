using Levee.Executions;
using Levee.Security;
using Levee.Silo.Security;
using Microsoft.Data.Sqlite;

namespace Levee.Silo.Storage.Sqlite;

/// <summary>Tenant API keys in SQLite, stored as SHA-256 hashes of their secrets.</summary>
internal sealed class SqliteApiKeyStore(SqliteDatabase database, TimeProvider clock) : IApiKeyStore
{
    public Task<NewApiKey> CreateAsync(string tenant, string project, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = clock.GetUtcNow();
        var info = new ApiKeyInfo(ExecutionIds.New("key", now), tenant, project, scopes, now);
        var secret = ApiKeySecrets.NewSecret();
        database.Write(session => session.Execute(SqliteSql.InsertApiKey, ("$id", info.Id), ("$tenant", tenant), ("$project", project),
            ("$scopes", string.Join(',', scopes)), ("$secret_hash", ApiKeySecrets.Hash(secret)), ("$created_at", now.ToUnixTimeMilliseconds())));
        return Task.FromResult(new NewApiKey(info, secret));
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

    public Task<bool> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(database.Write(session =>
            session.Execute(SqliteSql.RevokeApiKey, ("$id", id), ("$now", clock.GetUtcNow().ToUnixTimeMilliseconds())) == 1));
    }

    public ValueTask<ApiKeyInfo?> AuthenticateAsync(string secret, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(database.Read(session =>
        {
            using var reader = session.With(SqliteSql.FindApiKey, ("$secret_hash", ApiKeySecrets.Hash(secret))).ExecuteReader();
            return reader.Read() ? ReadKey(reader) : null;
        }));
    }

    private static ApiKeyInfo ReadKey(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3).Split(',', StringSplitOptions.RemoveEmptyEntries),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)));
}
