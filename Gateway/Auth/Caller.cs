using Levee.Executions;
using Microsoft.AspNetCore.Http;

namespace Levee.Gateway.Auth;

/// <summary>The authenticated caller of a request: a tenant key, or the admin key (no tenant).</summary>
/// <param name="Tenant">Tenant of the key.</param>
/// <param name="Project">Project of the key.</param>
/// <param name="Scopes">Granted scopes.</param>
public sealed record Caller(string Tenant, string Project, IReadOnlyList<string> Scopes)
{
    /// <summary>The grain key of one of the caller's executions.</summary>
    public string ExecutionKeyOf(string id) => ExecutionKey.For(Tenant, Project, id);

    /// <summary>Minimal API binding: the caller the <see cref="ApiKeyMiddleware"/> authenticated.</summary>
    public static ValueTask<Caller?> BindAsync(HttpContext context) =>
        ValueTask.FromResult(context.Items[typeof(Caller)] as Caller);
}
