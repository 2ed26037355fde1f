using System.Text.Json.Nodes;
using Levee.Executions;
using Levee.Gateway.Problems;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Levee.Gateway.OpenApi;

/// <summary>
/// Completes the <c>Problem</c> schema (the framework's <see cref="ProblemDetails"/>) with the
/// members <see cref="ProblemCatalog"/> writes: <c>code</c> as an enum of every stable code, so a
/// generated client can switch on it and a new code cannot ship undocumented (the catalog is the
/// one table the gateway answers from), and the members that only some problems carry.
/// </summary>
internal sealed class ProblemSchemaTransformer : IOpenApiSchemaTransformer
{
    /// <summary>The numeric members of a quota refusal.</summary>
    private static readonly (string Name, string Description)[] QuotaMembers =
    [
        ("usage", "What the tenant stores now, for `quota_exceeded` and `batch_exceeds_quota`."),
        ("limit", "The quota, for `quota_exceeded` and `batch_exceeds_quota`."),
        ("runCount", "The batch's `runCount`, for `batch_exceeds_quota`."),
    ];

    /// <inheritdoc />
    public async Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type != typeof(ProblemDetails))
        {
            return;
        }
        schema.Description = "An RFC 9457 problem. Clients switch on `code`, which never changes meaning; `title` and `detail` are for people.";
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.Properties["code"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "The stable, machine-readable error code; each maps to exactly one HTTP status.",
            Enum = [.. ProblemCatalog.All.Keys.Order(StringComparer.Ordinal).Select(code => (JsonNode)JsonValue.Create(code))],
        };
        schema.Properties["currentStatus"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "The resource's status when the conflict concerns state (e.g. `succeeded` for `terminal_state`).",
        };
        schema.Properties["field"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "The field, query parameter or header at fault (validation failures, `headers_too_large`).",
        };
        // The framework's own schema of the type: it becomes a reference to the ApprovalView component.
        var decision = await context.GetOrCreateSchemaAsync(typeof(ApprovalView), cancellationToken: cancellationToken);
        decision.Description = "The recorded decision, for `approval_conflict`.";
        schema.Properties["decision"] = decision;
        schema.Properties["line"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Integer,
            Format = "int64",
            Description = "The NDJSON line at fault (from 1), for a refused batch item.",
        };
        schema.Properties["index"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Integer | JsonSchemaType.Null,
            Format = "int64",
            Description = "The item index on that line, when it could be read.",
        };
        foreach (var (name, description) in QuotaMembers)
        {
            schema.Properties[name] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Description = description };
        }
        schema.Properties["traceId"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "The W3C trace id of the request, to find it in the gateway's logs.",
        };
        schema.Required = new HashSet<string>(["type", "title", "status", "detail", "code"]);
    }
}
