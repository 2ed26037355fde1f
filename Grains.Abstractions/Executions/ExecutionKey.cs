namespace Levee.Executions;

/// <summary>
/// Builds the grain key of an execution. Ids are chosen by clients, so the key is scoped by
/// tenant and project (<c>tenant/project/id</c>): two tenants may use the same id.
/// </summary>
public static class ExecutionKey
{
    /// <summary>The grain key for an execution id within a tenant and project.</summary>
    public static string For(string tenant, string project, string id) => $"{tenant}/{project}/{id}";

    /// <summary>Splits a key built by <see cref="For"/>.</summary>
    public static (string Tenant, string Project, string Id) Parse(string key)
    {
        var first = key.IndexOf('/', StringComparison.Ordinal);
        var second = key.IndexOf('/', first + 1);
        if (first <= 0 || second <= first + 1 || second == key.Length - 1)
        {
            throw new FormatException($"'{key}' is not an execution key (tenant/project/id).");
        }
        return (key[..first], key[(first + 1)..second], key[(second + 1)..]);
    }
}
