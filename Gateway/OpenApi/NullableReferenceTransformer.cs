using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Levee.Gateway.OpenApi;

/// <summary>
/// Rewrites the framework's nullable reference, <c>oneOf: [{type: null}, {$ref}]</c>, as
/// <c>anyOf</c>. Where the referenced schema admits null itself (a nullable enum such as
/// <c>AbortReason</c>, or <c>JsonElement</c>, which is any JSON value), a null matches both
/// branches and fails <c>oneOf</c>, so validators reject bodies the gateway writes. <c>anyOf</c>
/// says the same "null or the reference" without that trap.
/// </summary>
internal sealed class NullableReferenceTransformer : IOpenApiDocumentTransformer
{
    /// <inheritdoc />
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var schema in document.Components?.Schemas?.Values ?? [])
        {
            Rewrite(schema);
        }
        return Task.CompletedTask;
    }

    private static void Rewrite(IOpenApiSchema node)
    {
        // References are rewritten where they are defined, in the components.
        if (node is not OpenApiSchema schema)
        {
            return;
        }
        if (schema.OneOf is { Count: 2 } oneOf && oneOf.Any(branch => branch is OpenApiSchema { Type: JsonSchemaType.Null }))
        {
            schema.AnyOf = oneOf;
            schema.OneOf = null;
        }
        foreach (var child in Children(schema))
        {
            Rewrite(child);
        }
    }

    private static IEnumerable<IOpenApiSchema> Children(OpenApiSchema schema) =>
        (schema.Properties?.Values ?? Enumerable.Empty<IOpenApiSchema>())
            .Concat(schema.AnyOf ?? []).Concat(schema.AllOf ?? [])
            .Concat(schema.Items is null ? [] : [schema.Items])
            .Concat(schema.AdditionalProperties is null ? [] : [schema.AdditionalProperties]);
}
