namespace Levee.Security;

/// <summary>The scopes an API key may carry.</summary>
public static class ApiScopes
{
    /// <summary>Create, read and report on executions.</summary>
    public const string Executions = "executions";
    /// <summary>Claim and run work.</summary>
    public const string Workers = "workers";
    /// <summary>Create and feed batches.</summary>
    public const string Batches = "batches";
    /// <summary>Manage keys and watch the cluster (only the configured admin key).</summary>
    public const string Admin = "admin";

    /// <summary>The scopes a tenant key may be given.</summary>
    public static IReadOnlyList<string> TenantScopes { get; } = [Executions, Workers, Batches];
}
