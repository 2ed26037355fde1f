using System.Globalization;
using System.Text.Json.Nodes;
using Levee.Errors;
using Levee.Gateway.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;

namespace Levee.Gateway.OpenApi;

/// <summary>
/// Says, under each problem response of an operation, which stable codes it can carry (from the
/// endpoint's <see cref="ProblemCodes"/>), with an example body, and documents the headers that go
/// with some of them (<c>WWW-Authenticate</c> on 401, <c>Retry-After</c> on 429). The framework
/// knows a status and a type per response, not the codes, which are what clients act on.
/// </summary>
internal sealed class ProblemResponsesTransformer : IOpenApiOperationTransformer
{
    private const string ProblemJson = "application/problem+json";

    /// <inheritdoc />
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var codes = context.Description.ActionDescriptor.EndpointMetadata.OfType<ProblemCodes>()
            .SelectMany(declared => declared.Codes).Distinct(StringComparer.Ordinal).ToList();
        foreach (var (statusText, value) in operation.Responses ?? [])
        {
            if (value is not OpenApiResponse response || response.Content?.TryGetValue(ProblemJson, out var media) != true)
            {
                continue;
            }
            var status = int.Parse(statusText, CultureInfo.InvariantCulture);
            var atStatus = codes.Where(code => ProblemCatalog.StatusOf(code) == status).ToList();
            if (atStatus.Count == 0)
            {
                throw new InvalidOperationException(
                    $"{context.Description.HttpMethod} {context.Description.RelativePath} documents a {status} problem without its code — a bug: declare it with ProducesProblems.");
            }
            response.Description = $"{ReasonPhrases.GetReasonPhrase(status)}: {string.Join(", ", atStatus.Select(code => $"`{code}`"))}.";
            media!.Example = Example(atStatus[0], status);
            if (status == StatusCodes.Status401Unauthorized)
            {
                AddHeader(response, "WWW-Authenticate", "Always `Bearer`.");
            }
            if (atStatus.Contains(ErrorCodes.RateLimited))
            {
                AddHeader(response, "Retry-After", "With `rate_limited`: whole seconds to wait, at least 1.", JsonSchemaType.Integer);
            }
        }
        return Task.CompletedTask;
    }

    private static JsonObject Example(string code, int status)
    {
        var title = ProblemCatalog.All[code].Title;
        var example = new JsonObject
        {
            ["type"] = $"https://levee.dev/problems/{code.Replace('_', '-')}",
            ["title"] = title,
            ["status"] = status,
            ["detail"] = Detail(code) ?? $"{title}.",
            ["code"] = code,
        };
        if (code is ErrorCodes.TerminalState or ErrorCodes.NotTerminal)
        {
            example["currentStatus"] = code == ErrorCodes.TerminalState ? "succeeded" : "running";
        }
        if (code == ErrorCodes.ValidationFailed)
        {
            example["field"] = "task";
        }
        return example;
    }

    /// <summary>A detail as the gateway words it, for the codes an example is most often read for.</summary>
    private static string? Detail(string code) => code switch
    {
        ErrorCodes.ValidationFailed => "task is required.",
        ErrorCodes.Unauthorized => "Send an API key as 'Authorization: Bearer <key>'.",
        ErrorCodes.Forbidden => "The API key lacks the 'executions' scope.",
        ErrorCodes.TerminalState => "Execution 'exe_01JD' is 'succeeded' (terminal) and cannot become 'cancelled'.",
        ErrorCodes.RateLimited => "Over the key's request rate. Retry after 1 s.",
        _ => null,
    };

    private static void AddHeader(OpenApiResponse response, string name, string description, JsonSchemaType type = JsonSchemaType.String)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        response.Headers[name] = new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = type } };
    }
}
