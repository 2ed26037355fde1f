using Levee.Client.Http;
using Levee.Client.Json;

namespace Levee.Client;

public sealed partial class LeveeClient
{
    /// <summary>
    /// Creates a tenant key (admin key only); the secret is in <see cref="CreatedApiKey.Key"/> and
    /// nowhere else. Not retried: the API has no idempotency for keys, and a repeat would mint a second one.
    /// </summary>
    public Task<CreatedApiKey> CreateApiKeyAsync(string tenant, string project, IReadOnlyList<string>? scopes = null, CancellationToken cancellationToken = default) =>
        SendAsync(Post("/v1/admin/keys", new CreateKeyBody(tenant, project, scopes), Json.CreateKeyBody), Json.CreatedApiKey, cancellationToken);

    /// <summary>Every key, without secrets.</summary>
    public async Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync(Request(HttpMethod.Get, "/v1/admin/keys").Retryable(), Json.KeyList, cancellationToken).ConfigureAwait(false)).Items;

    /// <summary>Revokes a key; it stops working at once. False when there was no such key (or it was revoked before).</summary>
    public Task<bool> RevokeApiKeyAsync(string keyId, CancellationToken cancellationToken = default) =>
        DeleteAsync($"/v1/admin/keys/{Escape(keyId)}", cancellationToken);
}
