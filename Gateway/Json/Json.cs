using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using Levee.Gateway.OpenApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;

namespace Levee.Gateway.Json;

/// <summary>A bound request body: its value, or the problem that answers the request instead (see <see cref="JsonBodyFilter"/>).</summary>
public interface IBoundBody
{
    /// <summary>The 4xx problem when the body could not be read; null when <c>Value</c> holds it.</summary>
    ProblemHttpResult? Problem { get; }
}

/// <summary>
/// A handler parameter holding the JSON body, read and checked by <see cref="JsonBody"/> before the
/// handler runs (size 413, content type 415, syntax and types 400). A handler taking one never
/// sees a bad body: <see cref="JsonBodyFilter"/> answers with the problem first.
/// </summary>
/// <typeparam name="T">The request record (registered in <see cref="GatewayJsonContext"/>).</typeparam>
public sealed class Json<T> : IBoundBody, IEndpointParameterMetadataProvider
    where T : class
{
    /// <summary>Resolved once per request type.</summary>
    private static readonly JsonTypeInfo<T> Contract = (JsonTypeInfo<T>)(GatewayJsonContext.Default.GetTypeInfo(typeof(T))
        ?? throw new InvalidOperationException($"{typeof(T).Name} is not in GatewayJsonContext — a bug."));

    private readonly T? _value;

    private Json(T? value, ProblemHttpResult? problem) => (_value, Problem) = (value, problem);

    /// <summary>The body; only read by a handler, which runs only when there was no problem.</summary>
    public T Value => _value ?? throw new InvalidOperationException($"The {typeof(T).Name} body was read by a handler without JsonBodyFilter — a bug.");

    /// <inheritdoc />
    public ProblemHttpResult? Problem { get; }

    /// <summary>Minimal API binding.</summary>
    public static ValueTask<Json<T>> BindAsync(HttpContext context) => ReadAsync(context, whenEmpty: null);

    /// <summary>Documents the body and the problems its reader answers with (the framework sees a self-binding parameter, not a body).</summary>
    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) =>
        OpenApiEndpointExtensions.AddJsonBody(builder, typeof(T), isOptional: false);

    internal static async ValueTask<Json<T>> ReadAsync(HttpContext context, T? whenEmpty)
    {
        var (value, problem) = await context.RequestServices.GetRequiredService<JsonBody>().ReadAsync(context.Request, Contract, whenEmpty);
        return new Json<T>(value, problem);
    }
}

/// <summary>A request record whose body may be left empty, reading then as <see cref="Empty"/>.</summary>
/// <typeparam name="TSelf">The record.</typeparam>
public interface IOptionalBody<out TSelf>
{
    /// <summary>What an empty body reads as.</summary>
    static abstract TSelf Empty { get; }
}

/// <summary>Like <see cref="Json{T}"/>, for a body that may be empty.</summary>
/// <typeparam name="T">The request record.</typeparam>
public sealed class OptionalJson<T> : IBoundBody, IEndpointParameterMetadataProvider
    where T : class, IOptionalBody<T>
{
    private readonly Json<T> _body;

    private OptionalJson(Json<T> body) => _body = body;

    /// <summary>The body, or <c>T.Empty</c>.</summary>
    public T Value => _body.Value;

    /// <inheritdoc />
    public ProblemHttpResult? Problem => _body.Problem;

    /// <summary>Minimal API binding.</summary>
    public static async ValueTask<OptionalJson<T>> BindAsync(HttpContext context) => new(await Json<T>.ReadAsync(context, T.Empty));

    /// <summary>Documents the body as optional, and the problems its reader answers with.</summary>
    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) =>
        OpenApiEndpointExtensions.AddJsonBody(builder, typeof(T), isOptional: true);
}

/// <summary>
/// Answers a request whose bound body could not be read with its problem, before the handler runs.
/// Every handler that binds a body declares <see cref="ProblemHttpResult"/> among its results, so
/// this answer is one its endpoint documents.
/// </summary>
public sealed class JsonBodyFilter : IEndpointFilter
{
    /// <inheritdoc />
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        foreach (var argument in context.Arguments)
        {
            if (argument is IBoundBody { Problem: { } problem })
            {
                return ValueTask.FromResult<object?>(problem);
            }
        }
        return next(context);
    }
}
