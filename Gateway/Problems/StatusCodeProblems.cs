using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Levee.Gateway.Problems;

/// <summary>
/// Gives the error responses that leave the pipeline empty — routing's 404 (no route) and 405
/// (the route exists, not for this method; routing has set <c>Allow</c>), a binder's bare 400 —
/// the problem+json with a stable code that every endpoint's error has. It runs only for a
/// response with no body that has not started (the rule of <c>UseStatusCodePages</c>), so a
/// problem an endpoint wrote keeps its own code and detail.
/// </summary>
public static class StatusCodeProblems
{
    /// <summary>The framework's own writer (problem+json without a code), for a status no one code stands for.</summary>
    private static readonly Func<StatusCodeContext, Task> Framework = new StatusCodePagesOptions().HandleAsync;

    /// <summary>The handler of <c>UseStatusCodePages</c>.</summary>
    public static Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var (status, method, path) = (http.Response.StatusCode, http.Request.Method, http.Request.Path);
        if (ProblemCatalog.CodeOfStatus(status) is not { } code)
        {
            return Framework(context);
        }
        var detail = status switch
        {
            StatusCodes.Status404NotFound => $"No endpoint matches {method} {path}.",
            StatusCodes.Status405MethodNotAllowed => $"{method} is not allowed on {path}; it allows {http.Response.Headers.Allow}.",
            _ => $"The request was refused: {ReasonPhrases.GetReasonPhrase(status)}.",
        };
        return ProblemCatalog.For(code, detail).ExecuteAsync(http);
    }
}
