using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Levee.Gateway.OpenApi;

/// <summary>
/// The one way to authenticate: an API key sent as a bearer token. Declared once and required
/// globally, since every endpoint but the probes and this document needs a key;
/// <see cref="AnonymousOperationTransformer"/> lifts it where the gateway asks for none.
/// </summary>
internal sealed class BearerSecurityTransformer : IOpenApiDocumentTransformer
{
    /// <summary>The scheme's name in <c>components.securitySchemes</c>.</summary>
    public const string SchemeName = "bearer";

    /// <inheritdoc />
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "API key",
            Description = "An API key as `Authorization: Bearer <key>`. A tenant key belongs to one tenant and project and has scopes "
                + "(`executions`, `workers`, `batches`); the admin key alone has `admin`. Missing or revoked: 401; without the endpoint's scope: 403.",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [] }];
        return Task.CompletedTask;
    }
}
