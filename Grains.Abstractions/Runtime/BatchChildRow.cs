namespace Levee.Runtime;

/// <summary>A batch's record of one accepted index (dedupes Phase-2 items by <c>(batch, index)</c>).</summary>
/// <param name="Index">The item index.</param>
/// <param name="ChildId">The child execution's id.</param>
public sealed record BatchChildRow(int Index, string ChildId);

/// <summary>A child's terminal outcome, recorded on its batch-child row in the child's own commit.</summary>
/// <param name="BatchKey">The batch grain's key.</param>
/// <param name="Index">The child's index.</param>
/// <param name="Outcome">Terminal status wire name.</param>
public sealed record BatchChildOutcome(string BatchKey, int Index, string Outcome);
