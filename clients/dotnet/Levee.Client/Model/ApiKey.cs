namespace Levee.Client;

/// <summary>A tenant API key as listed (no secret).</summary>
/// <param name="Id">Key id (<c>key_…</c>).</param>
/// <param name="Tenant">Its tenant.</param>
/// <param name="Project">Its project.</param>
/// <param name="Scopes">Its scopes.</param>
/// <param name="CreatedAt">Creation time.</param>
public sealed record ApiKey(string Id, string Tenant, string Project, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt);

/// <summary>A key just created, with its secret (shown only here).</summary>
/// <param name="Id">Key id.</param>
/// <param name="Key">The secret bearer token.</param>
/// <param name="Tenant">Its tenant.</param>
/// <param name="Project">Its project.</param>
/// <param name="Scopes">Its scopes.</param>
/// <param name="CreatedAt">Creation time.</param>
public sealed record CreatedApiKey(string Id, string Key, string Tenant, string Project, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt);
