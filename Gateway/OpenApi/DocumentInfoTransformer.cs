using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Levee.Gateway.OpenApi;

/// <summary>
/// The document's own parts: one title for the silo's gateway and the standalone one (the
/// framework names it after the host's assembly), a description of each tag, server URLs without
/// the trailing slash the framework leaves (paths start with one), and the path of this document
/// itself, which <c>MapOpenApi</c> keeps out of the description it serves.
/// </summary>
internal sealed class DocumentInfoTransformer : IOpenApiDocumentTransformer
{
    /// <summary>Where the document is served (<c>MapOpenApi</c>'s route for the <c>v1</c> document).</summary>
    public const string DocumentPath = "/openapi/v1.json";

    private static readonly (string Name, string Description)[] Tags =
    [
        ("Executions", "Create, read, list, cancel and delete executions; their results, output and event streams. Scope `executions`."),
        ("Workers", "The worker protocol: claim (long poll), heartbeat, complete, fail, wait for a batch, and pausing queues. Scope `workers`."),
        ("Approvals", "Human-in-the-loop approvals (hooks): a worker requests one, an approver decides it by id or by token."),
        ("Batches", "Two-phase batches: create, stream the items as NDJSON, watch, list the children, pause, resume, cancel. Scope `batches`."),
        ("Admin", "Tenant API keys, for the admin key only."),
        ("Health", "Probes and this document; no key needed."),
    ];

    /// <inheritdoc />
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Levee REST API";
        document.Info.Description = "Durable executions, workers, approvals and batches over HTTP. Errors are `application/problem+json` "
            + "with a stable `code` (the `Problem` schema). The contract and the decisions behind it: docs/api.md.";
        document.Tags = new HashSet<OpenApiTag>(Tags.Select(tag => new OpenApiTag { Name = tag.Name, Description = tag.Description }));
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }
        document.Paths[DocumentPath] = new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = new()
                {
                    OperationId = "getOpenApiDocument",
                    Summary = "This OpenAPI document",
                    Tags = new HashSet<OpenApiTagReference> { new("Health", document) },
                    Security = [],
                    Responses = new OpenApiResponses
                    {
                        ["200"] = new OpenApiResponse
                        {
                            Description = "The OpenAPI 3.1 document of this API.",
                            Content = new Dictionary<string, OpenApiMediaType>
                            {
                                ["application/json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object } },
                            },
                        },
                    },
                },
            },
        };
        return Task.CompletedTask;
    }
}
