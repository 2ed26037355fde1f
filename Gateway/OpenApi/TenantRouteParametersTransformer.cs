using Levee.Gateway.Auth;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Levee.Gateway.OpenApi;

/// <summary>
/// Documents <c>{tenant}</c> and <c>{project}</c> on the admin's cross-tenant routes: no handler
/// binds them (<see cref="ApiKeyMiddleware"/> reads them, see <see cref="TenantFromRoute"/>), so the
/// generator does not see them, and a path parameter must be declared.
/// </summary>
internal sealed class TenantRouteParametersTransformer : IOpenApiOperationTransformer
{
    /// <inheritdoc />
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<TenantFromRoute>().Any())
        {
            return Task.CompletedTask;
        }
        operation.Parameters ??= [];
        var at = 0;
        foreach (var (name, what) in new[] { (TenantFromRoute.Tenant, "The tenant"), (TenantFromRoute.Project, "The tenant's project") })
        {
            operation.Parameters.Insert(at++, new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Path,
                Required = true,
                Description = $"{what}: 1-64 characters of `A-Za-z0-9_-.` (else 400 `validation_failed`).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[A-Za-z0-9_.-]{1,64}$" },
            });
        }
        return Task.CompletedTask;
    }
}
