namespace Levee.Runtime;

/// <summary>
/// Names the grain type in storage and stream ids. Put it on the grain interface; the name must
/// never change once data exists.
/// </summary>
/// <param name="name">Short stable name, e.g. <c>exe</c>.</param>
[AttributeUsage(AttributeTargets.Interface)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    /// <summary>The stored type name.</summary>
    public string Name { get; } = name;
}
