using Levee.Errors;
using Levee.Grains.Storage;

namespace Levee.Grains.Executions;

/// <summary>
/// A parent named on create must be an execution of the same project that exists, because its
/// resume and its children's listing are addressed by that id; a typo would otherwise leave a
/// child pointing at nothing. The index row is committed with the parent's create, so an
/// acknowledged parent is always found.
/// </summary>
internal static class ParentCheck
{
    /// <summary>Null when <paramref name="parentId"/> is unset or exists; else the rejection.</summary>
    public static async Task<Rejection?> UnknownParentAsync(IExecutionIndex index, ResourceKey key, string? parentId) =>
        parentId is null || await index.ExistsAsync(key.Tenant, key.Project, parentId, CancellationToken.None)
            ? null
            : Rejection.Invalid("parentId", $"parentId '{parentId}' names no execution of this project.");
}
