using Levee.Errors;
using Levee.Gateway.Problems;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Levee.Gateway.OpenApi;

/// <summary>What endpoints say about themselves for the OpenAPI document. None of it changes how a request is handled.</summary>
public static class OpenApiEndpointExtensions
{
    private static readonly string[] ProblemJson = ["application/problem+json"];

    /// <summary>The codes every JSON body can be refused with, before the handler runs (<see cref="Json.JsonBody"/>).</summary>
    private static readonly ProblemCodes BodyCodes = new([ErrorCodes.ValidationFailed, ErrorCodes.PayloadTooLarge, ErrorCodes.UnsupportedMediaType]);

    /// <summary>
    /// Declares the problem codes the endpoint (or every endpoint of a group) can answer with:
    /// one problem+json response per status (what <c>.ProducesProblem(status)</c> adds), and the
    /// codes themselves, which the document lists under each status. A status alone would not
    /// tell a client which <c>code</c> to expect, and 409 stands for several.
    /// </summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params string[] codes)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in codes.Select(ProblemCatalog.StatusOf).Distinct())
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ProblemJson));
        }
        return builder.WithMetadata(new ProblemCodes(codes));
    }

    /// <summary>Documents a body the handler reads from the raw request stream (see <see cref="RequestBodyMetadata"/> for why not <c>.Accepts&lt;T&gt;</c>).</summary>
    public static RouteHandlerBuilder WithRequestBody<T>(this RouteHandlerBuilder builder, string contentType) =>
        builder.WithMetadata(new RequestBodyMetadata(typeof(T), contentType, IsOptional: false));

    /// <summary>Documents that the 200 answer can also be a server-sent event stream.</summary>
    public static RouteHandlerBuilder ProducesEventStream(this RouteHandlerBuilder builder) => builder.WithMetadata(new EventStreamMetadata());

    /// <summary>Example bodies: <paramref name="request"/>, and <paramref name="response"/> for <paramref name="status"/>.</summary>
    public static RouteHandlerBuilder WithExamples(this RouteHandlerBuilder builder, string? request, int status, string? response) =>
        builder.WithMetadata(new OperationExamples(request, status, response));

    /// <summary>
    /// The metadata of a JSON body parameter (<see cref="Json.Json{T}"/>, <see cref="Json.OptionalJson{T}"/>):
    /// the body for the document, and the problems its reader answers with before the handler runs.
    /// </summary>
    internal static void AddJsonBody(EndpointBuilder builder, Type type, bool isOptional)
    {
        builder.Metadata.Add(new RequestBodyMetadata(type, "application/json", isOptional));
        foreach (var status in BodyCodes.Codes.Select(ProblemCatalog.StatusOf))
        {
            builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ProblemJson));
        }
        builder.Metadata.Add(BodyCodes);
    }
}
