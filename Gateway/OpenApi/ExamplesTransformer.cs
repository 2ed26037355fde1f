using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Levee.Gateway.OpenApi;

/// <summary>
/// Puts an endpoint's <see cref="OperationExamples"/> on its request body and on the response of
/// the given status. Examples live beside the endpoint they show (its <c>Map…</c> call), not in a
/// list keyed by path here.
/// </summary>
internal sealed class ExamplesTransformer : IOpenApiOperationTransformer
{
    /// <inheritdoc />
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var examples in context.Description.ActionDescriptor.EndpointMetadata.OfType<OperationExamples>())
        {
            if (examples.Request is not null)
            {
                var body = operation.RequestBody as OpenApiRequestBody
                    ?? throw new InvalidOperationException($"{context.Description.RelativePath} has a request example but no request body — a bug.");
                foreach (var media in body.Content?.Values ?? [])
                {
                    media.Example = JsonNode.Parse(examples.Request);
                }
            }
            if (examples.Response is not null)
            {
                var status = examples.ResponseStatus.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var response = operation.Responses?.GetValueOrDefault(status) as OpenApiResponse
                    ?? throw new InvalidOperationException($"{context.Description.RelativePath} has an example for {status}, which it does not document — a bug.");
                if (response.Content is not null && response.Content.TryGetValue("application/json", out var media))
                {
                    media.Example = JsonNode.Parse(examples.Response);
                }
            }
        }
        return Task.CompletedTask;
    }
}
