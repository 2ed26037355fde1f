namespace Levee.Gateway.Admin;

/// <summary>Body of <c>POST /v1/admin/keys</c>.</summary>
public sealed record CreateKeyRequest(string? Tenant, string? Project, IReadOnlyList<string>? Scopes = null);

/// <summary>A created key with its secret (shown once).</summary>
public sealed record CreatedKey(string Id, string Key, string Tenant, string Project, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt);

/// <summary>A listed key (no secret).</summary>
public sealed record KeyItem(string Id, string Tenant, string Project, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt);

/// <summary>The key list.</summary>
public sealed record KeyList(IReadOnlyList<KeyItem> Items);

/// <summary>Every tenant's usage (<c>GET /v1/admin/usage</c>).</summary>
public sealed record UsageList(IReadOnlyList<Levee.Quotas.TenantUsageView> Items);
