using Levee.Gateway.Auth;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Levee.Gateway.OpenApi;

/// <summary>
/// Marks the operations <see cref="ApiKeyMiddleware"/> lets through without a key (those without
/// <see cref="RequiredScope"/>: the probes) with <c>security: []</c>, which overrides the global
/// bearer requirement; and names the scope on every other operation, from the same metadata the
/// middleware enforces, so the document cannot drift from it.
/// </summary>
internal sealed class AnonymousOperationTransformer : IOpenApiOperationTransformer
{
    /// <inheritdoc />
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var scope = context.Description.ActionDescriptor.EndpointMetadata.OfType<RequiredScope>().LastOrDefault();
        if (scope is null)
        {
            operation.Security = [];
            return Task.CompletedTask;
        }
        var needs = $"Needs a key with the `{scope.Scope}` scope.";
        operation.Description = operation.Description is null ? needs : $"{operation.Description}\n\n{needs}";
        return Task.CompletedTask;
    }
}
