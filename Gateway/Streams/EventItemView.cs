using Levee.Gateway.Json;

namespace Levee.Gateway.Streams;

/// <summary>An event as sent to clients, in SSE <c>data:</c> and in JSON pages.</summary>
/// <param name="Seq">Sequence number.</param>
/// <param name="Type">Event type.</param>
/// <param name="Time">When it was written.</param>
/// <param name="Data">Its payload.</param>
public sealed record EventItemView(long Seq, string Type, DateTimeOffset Time, RawJson Data);

/// <summary>A JSON page of a stream.</summary>
/// <param name="Items">Events, oldest first.</param>
/// <param name="NextFrom">The <c>from</c> of the next page, or null when this page reached the end.</param>
public sealed record EventPageView(IReadOnlyList<EventItemView> Items, long? NextFrom);
