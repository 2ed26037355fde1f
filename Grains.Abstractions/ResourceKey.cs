namespace Levee;

/// <summary>
/// The one spelling of a resource's identity: an execution, batch, queue or idempotency key is
/// named by its tenant, its project and its id. Ids are chosen by clients, so they are unique only
/// within a project; the grain key is <c>tenant/project/id</c> (<see cref="ToString"/>), parsed
/// back by <see cref="Parse"/>. The REST API shows the id alone.
/// </summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="Project">The tenant's project.</param>
/// <param name="Id">The id within the project.</param>
public readonly record struct ResourceKey(string Tenant, string Project, string Id)
{
    /// <summary>Another resource of the same project.</summary>
    public ResourceKey With(string id) => this with { Id = id };

    /// <summary>The grain key: <c>tenant/project/id</c>.</summary>
    public override string ToString() => $"{Tenant}/{Project}/{Id}";

    /// <summary>Parses a grain key made by <see cref="ToString"/>. Tenants and projects hold no <c>/</c>; ids may.</summary>
    public static ResourceKey Parse(string key)
    {
        var first = key.IndexOf('/', StringComparison.Ordinal);
        var second = first < 0 ? -1 : key.IndexOf('/', first + 1);
        if (first <= 0 || second <= first + 1 || second == key.Length - 1)
        {
            throw new FormatException($"'{key}' is not a resource key (tenant/project/id).");
        }
        return new(key[..first], key[(first + 1)..second], key[(second + 1)..]);
    }
}
