namespace Levee.Gateway.OpenApi;

/// <summary>
/// Endpoint metadata: the 200 answer is also a server-sent event stream (<c>text/event-stream</c>),
/// chosen by the <c>Accept</c> header. The handler writes the stream itself and returns an empty
/// result, so no result type can say so.
/// </summary>
public sealed record EventStreamMetadata;
