namespace Levee.Grains.Storage;

/// <summary>
/// A batch's commit tried to create a child whose grain already exists though the batch had not
/// accepted its index: something else took the id. The commit fails alone and loudly, rather
/// than adopting a stranger as the child (its report would never reach the batch, which could then
/// never finish). Client creates cannot take such ids (<c>bat_…</c> is reserved), so this means
/// rows written before that rule, or a bug.
/// </summary>
public sealed class ForeignChildException(string grain)
    : InvalidOperationException($"Batch child {grain} already exists but was not created by its batch; the batch's commit was refused.")
{
    /// <summary>The child grain that already existed.</summary>
    public string Grain { get; } = grain;
}
