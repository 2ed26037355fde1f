namespace Levee.Grains.Storage;

/// <summary>A grain's persisted state row as read from storage.</summary>
/// <param name="Version">Compare-and-set token: bumped by one on every committed command.</param>
/// <param name="LastSeq">Sequence number of the last event in the grain's log (0 = empty).</param>
/// <param name="State">The serialized state (UTF-8 JSON).</param>
public sealed record StoredGrain(long Version, long LastSeq, ReadOnlyMemory<byte> State);
