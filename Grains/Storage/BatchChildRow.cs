namespace Levee.Grains.Storage;

/// <summary>A batch's record of one accepted index (dedupes Phase-2 items by <c>(batch, index)</c>).</summary>
/// <param name="Index">The item index.</param>
/// <param name="ChildId">The child execution's id.</param>
public sealed record BatchChildRow(int Index, string ChildId);
