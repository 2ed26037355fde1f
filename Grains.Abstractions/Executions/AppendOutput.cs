using System.Text.Json;

namespace Levee.Executions;

/// <summary>Appends user stream data (tokens, progress) to the execution's log, one event per chunk.</summary>
/// <param name="Chunks">The chunks, in order.</param>
/// <param name="LeaseId">The writer's lease, if it holds one.</param>
[GenerateSerializer, Immutable, Alias("Levee.AppendOutput")]
public sealed record AppendOutput([property: Id(0)] IReadOnlyList<JsonElement> Chunks, [property: Id(1)] string? LeaseId = null);

/// <summary>The log positions the chunks were written at.</summary>
/// <param name="FirstSeq">Sequence number of the first chunk.</param>
/// <param name="LastSeq">Sequence number of the last chunk.</param>
[GenerateSerializer, Immutable, Alias("Levee.OutputRange")]
public sealed record OutputRange([property: Id(0)] long FirstSeq, [property: Id(1)] long LastSeq);
