namespace Levee.Gateway.OpenApi;

/// <summary>
/// Endpoint metadata: the body an endpoint reads itself (through <see cref="Json.Json{T}"/> or
/// from the raw stream), for the document only. Not the framework's <c>IAcceptsMetadata</c>
/// (<c>.Accepts&lt;T&gt;</c>): routing enforces that one, answering a wrong <c>Content-Type</c>
/// with its own 415 before the endpoint's reader can give its problem, and refusing the empty
/// body of a <c>{reason?}</c> switch sent without a content type.
/// </summary>
/// <param name="Type">The body's type (a line's type for NDJSON).</param>
/// <param name="ContentType">Its media type.</param>
/// <param name="IsOptional">True when the body may be left empty.</param>
public sealed record RequestBodyMetadata(Type Type, string ContentType, bool IsOptional);
