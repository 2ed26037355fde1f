namespace Levee.Streams;

/// <summary>One event of a grain's log.</summary>
/// <param name="Seq">Position in the stream: 1, 2, 3… without gaps.</param>
/// <param name="Type">Event type.</param>
/// <param name="Data">UTF-8 JSON payload.</param>
/// <param name="Time">When it was written.</param>
public sealed record StoredEvent(long Seq, string Type, ReadOnlyMemory<byte> Data, DateTimeOffset Time);
