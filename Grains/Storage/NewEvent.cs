namespace Levee.Grains.Storage;

/// <summary>An event to append to a grain's log.</summary>
/// <param name="Type">Event type as clients see it (e.g. <c>succeeded</c>).</param>
/// <param name="Data">UTF-8 JSON payload.</param>
/// <param name="Time">When the grain decided it.</param>
public sealed record NewEvent(string Type, ReadOnlyMemory<byte> Data, DateTimeOffset Time);
