using Levee.Gateway.OpenApi;
using Microsoft.AspNetCore.Mvc;

namespace Levee.Gateway.Streams;

/// <summary>
/// Where an event stream starts and how long a JSON page is, bound as strings: <see cref="EventStreamer"/>
/// parses them, so a bad value is a problem naming it.
/// </summary>
/// <param name="LastEventId">The last sequence number the client saw (SSE resume); wins over <paramref name="From"/>.</param>
/// <param name="From">The first sequence number to send (default 1).</param>
/// <param name="Limit">Events in a JSON page, 1 to 1000 (default 100).</param>
public readonly record struct EventStreamQuery(
    [FromHeader(Name = "Last-Event-ID")] string? LastEventId,
    [FromQuery(Name = "from"), IntegerQuery(0)] string? From,
    [FromQuery(Name = "limit"), IntegerQuery(1, Maximum = EventStreamer.MaxPageSize)] string? Limit);
