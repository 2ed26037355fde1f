namespace Levee.Gateway.Auth;

/// <summary>
/// Endpoint metadata of the admin's cross-tenant routes (<c>/v1/admin/tenants/{tenant}/projects/{project}/…</c>):
/// <see cref="ApiKeyMiddleware"/> makes the admin the <see cref="Caller"/> of the tenant and project
/// the route names, so one handler serves a tenant's route and the admin's alike.
/// </summary>
public sealed record TenantFromRoute
{
    /// <summary>The route value naming the tenant.</summary>
    public const string Tenant = "tenant";

    /// <summary>The route value naming the project.</summary>
    public const string Project = "project";

    /// <summary>The one instance.</summary>
    public static readonly TenantFromRoute Instance = new();
}
