namespace Levee.Runtime;

/// <summary>
/// Identity of one grain: its type name (e.g. <c>exe</c>) and its key. It is also the id of the
/// grain's event stream, written <c>type/key</c>.
/// </summary>
/// <param name="Type">Short, stable grain type name stored in the database.</param>
/// <param name="Key">The grain's key within its type.</param>
public readonly record struct GrainId(string Type, string Key)
{
    /// <inheritdoc />
    public override string ToString() => $"{Type}/{Key}";
}
