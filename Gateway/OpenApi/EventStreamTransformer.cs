using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Levee.Gateway.OpenApi;

/// <summary>
/// Adds <c>text/event-stream</c> beside the JSON page of an event endpoint's 200 (see
/// <see cref="EventStreamMetadata"/>). OpenAPI 3.1 has no schema for a stream of events, so the
/// body is described as text in the SSE format, with an example.
/// </summary>
internal sealed class EventStreamTransformer : IOpenApiOperationTransformer
{
    private const string Example = "id: 1\nevent: created\ndata: {\"seq\":1,\"type\":\"created\",\"time\":\"2026-01-01T00:00:00+00:00\",\"data\":{}}\n\n"
        + "id: 2\nevent: queued\ndata: {\"seq\":2,\"type\":\"queued\",\"time\":\"2026-01-01T00:00:00+00:00\",\"data\":{}}\n\n";

    /// <inheritdoc />
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<EventStreamMetadata>().Any()
            || operation.Responses?.GetValueOrDefault("200") is not OpenApiResponse ok)
        {
            return Task.CompletedTask;
        }
        ok.Description = "The events: a server-sent event stream by default (replay, then live, until `event: end` after the terminal event), "
            + "or one JSON page with `Accept: application/json`.";
        ok.Content ??= new Dictionary<string, OpenApiMediaType>();
        ok.Content["text/event-stream"] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "Server-sent events: each is `id: <seq>`, `event: <type>` and `data: <EventItemView as JSON>`; "
                    + "a comment line keeps idle connections open; the stream ends with `event: end`. Resume with `Last-Event-ID` or `?from=`.",
            },
            Example = JsonValue.Create(Example),
        };
        return Task.CompletedTask;
    }
}
