namespace Levee.Grains.Serialization;

/// <summary>
/// Marks a stored-state property whose getter falls back to another property of the same record
/// when the row lacks it (<c>get =&gt; field == default ? CreatedAt : field</c>), so
/// <see cref="StoredStateJson"/> leaves it out of the row while the two are equal.
/// </summary>
/// <param name="property">The property whose value reading restores.</param>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class SameAsAttribute(string property) : Attribute
{
    /// <summary>The property whose value reading restores.</summary>
    public string Property { get; } = property;
}
