namespace Levee.Client;

/// <summary>One page of a list.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The items, newest first (or by index for a batch's children).</param>
/// <param name="NextCursor">The cursor of the next page; null on the last.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
