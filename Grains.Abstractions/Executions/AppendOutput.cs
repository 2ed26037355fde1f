using System.Text.Json;

namespace Levee.Executions;

/// <summary>Appends user stream data (tokens, progress) to the execution's log, one event per chunk.</summary>
/// <param name="Chunks">The chunks, in order.</param>
/// <param name="LeaseId">The writer's lease, if it holds one.</param>
public sealed record AppendOutput(IReadOnlyList<JsonElement> Chunks, string? LeaseId = null);

/// <summary>The log positions the chunks were written at.</summary>
/// <param name="FirstSeq">Sequence number of the first chunk.</param>
/// <param name="LastSeq">Sequence number of the last chunk.</param>
public sealed record OutputRange(long FirstSeq, long LastSeq);
