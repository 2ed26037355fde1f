namespace Levee.Gateway.Endpoints;

/// <summary>
/// Where a resource's read endpoints are mapped: under a tenant key's own routes, or again under
/// the admin's <c>/v1/admin/tenants/{tenant}/projects/{project}</c> (same handlers; see
/// <see cref="Auth.TenantFromRoute"/>). Operation ids must be unique in the document, so the
/// admin's copies are prefixed.
/// </summary>
/// <param name="OperationPrefix">Prefix of the operation ids: empty, or <c>admin</c>.</param>
public readonly record struct ReadRoutes(string OperationPrefix)
{
    /// <summary>A tenant key's routes.</summary>
    public static ReadRoutes Tenant => new("");

    /// <summary>The admin's cross-tenant routes.</summary>
    public static ReadRoutes Admin => new("admin");

    /// <summary>The operation id of <paramref name="name"/> here (<c>getBatch</c> or <c>adminGetBatch</c>).</summary>
    public string Name(string name) => OperationPrefix.Length == 0 ? name : OperationPrefix + char.ToUpperInvariant(name[0]) + name[1..];
}
