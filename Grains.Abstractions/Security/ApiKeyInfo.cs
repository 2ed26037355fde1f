namespace Levee.Security;

/// <summary>A tenant API key as listed (never with its secret).</summary>
/// <param name="Id">Key id (<c>key_…</c>).</param>
/// <param name="Tenant">Tenant.</param>
/// <param name="Project">Project.</param>
/// <param name="Scopes">Granted scopes.</param>
/// <param name="CreatedAt">Creation time.</param>
public sealed record ApiKeyInfo(string Id, string Tenant, string Project, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt);

/// <summary>A newly created key with its secret, shown only once.</summary>
/// <param name="Info">The key.</param>
/// <param name="Secret">The bearer token.</param>
public sealed record NewApiKey(ApiKeyInfo Info, string Secret);
