using Microsoft.AspNetCore.Http;

namespace Levee.Gateway.Auth;

/// <summary>The authenticated caller of a request: a tenant key, or the admin key (no tenant).</summary>
/// <param name="Tenant">Tenant of the key.</param>
/// <param name="Project">Project of the key.</param>
/// <param name="Scopes">Granted scopes.</param>
public sealed record Caller(string Tenant, string Project, IReadOnlyList<string> Scopes)
{
    /// <summary>The key of one of the caller's resources (execution, batch, idempotency key).</summary>
    public ResourceKey Key(string id) => new(Tenant, Project, id);

    /// <summary>Minimal API binding: the caller the <see cref="ApiKeyMiddleware"/> authenticated.</summary>
    public static ValueTask<Caller?> BindAsync(HttpContext context) =>
        ValueTask.FromResult(context.Items[typeof(Caller)] as Caller);
}
