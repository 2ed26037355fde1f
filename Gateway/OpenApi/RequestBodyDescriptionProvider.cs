using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Levee.Gateway.OpenApi;

/// <summary>
/// Gives API Explorer the request bodies it cannot see: a <see cref="Json.Json{T}"/> parameter binds
/// itself (<c>BindAsync</c>), so the framework documents no body for it. This adds the body
/// parameter and media type that <see cref="RequestBodyMetadata"/> names, and the OpenAPI
/// generator then writes the request body (schema reference included) as for any other endpoint.
/// </summary>
internal sealed class RequestBodyDescriptionProvider : IApiDescriptionProvider
{
    private static readonly EmptyModelMetadataProvider Models = new();

    /// <summary>After the minimal-API provider (-1100) has described the endpoints.</summary>
    public int Order => 0;

    /// <inheritdoc />
    public void OnProvidersExecuting(ApiDescriptionProviderContext context)
    {
        foreach (var description in context.Results)
        {
            if (description.ActionDescriptor.EndpointMetadata.OfType<RequestBodyMetadata>().LastOrDefault() is not { } body
                || description.ParameterDescriptions.Any(p => p.Source == BindingSource.Body))
            {
                continue;
            }
            description.ParameterDescriptions.Add(new ApiParameterDescription
            {
                Name = "body",
                Source = BindingSource.Body,
                Type = body.Type,
                IsRequired = !body.IsOptional,
                ModelMetadata = Models.GetMetadataForType(body.Type),
            });
            description.SupportedRequestFormats.Add(new ApiRequestFormat { MediaType = body.ContentType });
        }
    }

    /// <inheritdoc />
    public void OnProvidersExecuted(ApiDescriptionProviderContext context)
    {
    }
}
