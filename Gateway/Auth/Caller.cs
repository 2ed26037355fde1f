using Microsoft.AspNetCore.Http;

namespace Levee.Gateway.Auth;

/// <summary>The authenticated caller of a request: a tenant key, or the admin key on a route naming a tenant and project.</summary>
/// <param name="KeyId">Id of the key (what rate limits count by).</param>
/// <param name="Tenant">Tenant of the key.</param>
/// <param name="Project">Project of the key.</param>
/// <param name="Scopes">Granted scopes.</param>
public sealed record Caller(string KeyId, string Tenant, string Project, IReadOnlyList<string> Scopes)
{
    /// <summary>
    /// True for the admin key on a cross-tenant route (<see cref="TenantFromRoute"/>): never rate
    /// limited, like the admin key everywhere.
    /// </summary>
    public bool IsAdmin { get; init; }

    /// <summary>The key of one of the caller's resources (execution, batch, idempotency key).</summary>
    public ResourceKey Key(string id) => new(Tenant, Project, id);

    /// <summary>The caller the <see cref="ApiKeyMiddleware"/> authenticated, or null (no key needed, or the admin key on a route of its own).</summary>
    public static Caller? Of(HttpContext context) => context.Items[typeof(Caller)] as Caller;

    /// <summary>Minimal API binding: <see cref="Of"/>.</summary>
    public static ValueTask<Caller?> BindAsync(HttpContext context) => ValueTask.FromResult(Of(context));
}
