using System.Text.Json;

namespace Levee.Client;

/// <summary>One NDJSON line of phase 2: the item that becomes child <c>{batchId}.{Index}</c>.</summary>
/// <param name="Index">0 to <c>runCount - 1</c>; an index sent again is deduplicated.</param>
/// <param name="Task">Overrides the batch's task.</param>
/// <param name="Input">The child's input.</param>
/// <param name="Options">Tags and metadata of the child.</param>
public sealed record BatchItem(int Index, string? Task = null, JsonElement? Input = null, BatchItemOptions? Options = null);

/// <summary>Per-item options.</summary>
/// <param name="Tags">The child's labels.</param>
/// <param name="Metadata">The child's free-form object.</param>
public sealed record BatchItemOptions(IReadOnlyList<string>? Tags = null, JsonElement? Metadata = null);
