using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Levee.Gateway.OpenApi;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c>: the framework's generator, fed by what each
/// endpoint declares (names, summaries, result types, <see cref="ProblemCodes"/>, bodies), and
/// the transformers here for what no endpoint can say on its own.
/// </summary>
public static class LeveeOpenApi
{
    /// <summary>The schema name of every problem body (the framework's <see cref="ProblemDetails"/>).</summary>
    public const string ProblemSchema = "Problem";

    /// <summary>Adds the document's generator and transformers.</summary>
    public static IServiceCollection AddLeveeOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi(options =>
        {
            options.CreateSchemaReferenceId = type =>
                type.Type == typeof(ProblemDetails) ? ProblemSchema : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
            options.AddDocumentTransformer<DocumentInfoTransformer>();
            options.AddDocumentTransformer<BearerSecurityTransformer>();
            options.AddDocumentTransformer<NullableReferenceTransformer>();
            options.AddOperationTransformer<AnonymousOperationTransformer>();
            options.AddOperationTransformer<ProblemResponsesTransformer>();
            options.AddOperationTransformer<EventStreamTransformer>();
            options.AddOperationTransformer<TenantRouteParametersTransformer>();
            options.AddOperationTransformer<ExamplesTransformer>();
            options.AddOperationTransformer<IntegerQueryTransformer>();
            options.AddSchemaTransformer<ProblemSchemaTransformer>();
        });
        services.TryAddEnumerable(ServiceDescriptor.Transient<IApiDescriptionProvider, RequestBodyDescriptionProvider>());
        return services;
    }
}
