namespace Levee.Security;

/// <summary>An API key as listed (never with its secret).</summary>
/// <param name="Id">Key id (<c>key_…</c>).</param>
/// <param name="Tenant">Tenant (empty for the admin key).</param>
/// <param name="Project">Project (empty for the admin key).</param>
/// <param name="Scopes">Granted scopes.</param>
/// <param name="CreatedAt">Creation time.</param>
[GenerateSerializer, Immutable, Alias("Levee.ApiKeyInfo")]
public sealed record ApiKeyInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Tenant,
    [property: Id(2)] string Project,
    [property: Id(3)] IReadOnlyList<string> Scopes,
    [property: Id(4)] DateTimeOffset CreatedAt);

/// <summary>A newly created key with its secret, shown only once.</summary>
/// <param name="Info">The key.</param>
/// <param name="Secret">The bearer token.</param>
[GenerateSerializer, Immutable, Alias("Levee.NewApiKey")]
public sealed record NewApiKey([property: Id(0)] ApiKeyInfo Info, [property: Id(1)] string Secret);
