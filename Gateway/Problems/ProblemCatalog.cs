using Levee.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Levee.Gateway.Problems;

/// <summary>The one table mapping every error code to its HTTP status and title.</summary>
public static class ProblemCatalog
{
    private static readonly Dictionary<string, (int Status, string Title)> Codes = new()
    {
        [ErrorCodes.ValidationFailed] = (StatusCodes.Status400BadRequest, "The request is invalid"),
        [ErrorCodes.BadRequest] = (StatusCodes.Status400BadRequest, "The request could not be read"),
        [ErrorCodes.RequestTimeout] = (StatusCodes.Status408RequestTimeout, "The request body arrived too slowly"),
        [ErrorCodes.Unauthorized] = (StatusCodes.Status401Unauthorized, "Authentication required"),
        [ErrorCodes.Forbidden] = (StatusCodes.Status403Forbidden, "Not allowed"),
        [ErrorCodes.NotFound] = (StatusCodes.Status404NotFound, "Not found"),
        [ErrorCodes.MethodNotAllowed] = (StatusCodes.Status405MethodNotAllowed, "Method not allowed"),
        [ErrorCodes.TerminalState] = (StatusCodes.Status409Conflict, "The resource is in a terminal state"),
        [ErrorCodes.IllegalTransition] = (StatusCodes.Status409Conflict, "Transition not allowed"),
        [ErrorCodes.LeaseLost] = (StatusCodes.Status409Conflict, "The lease is no longer valid"),
        [ErrorCodes.ApprovalConflict] = (StatusCodes.Status409Conflict, "The approval was decided differently"),
        [ErrorCodes.AlreadyExists] = (StatusCodes.Status409Conflict, "Already exists"),
        [ErrorCodes.NotTerminal] = (StatusCodes.Status409Conflict, "The resource is not terminal yet"),
        [ErrorCodes.BatchAborted] = (StatusCodes.Status409Conflict, "The batch was aborted"),
        [ErrorCodes.PayloadTooLarge] = (StatusCodes.Status413PayloadTooLarge, "Payload too large"),
        [ErrorCodes.BatchExceedsQuota] = (StatusCodes.Status413PayloadTooLarge, "The batch is larger than the quota has room for"),
        [ErrorCodes.UriTooLong] = (StatusCodes.Status414UriTooLong, "Request target too long"),
        [ErrorCodes.UnsupportedMediaType] = (StatusCodes.Status415UnsupportedMediaType, "Unsupported media type"),
        [ErrorCodes.IdempotencyKeyMismatch] = (StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused with a different request"),
        [ErrorCodes.RateLimited] = (StatusCodes.Status429TooManyRequests, "Too many requests"),
        [ErrorCodes.QuotaExceeded] = (StatusCodes.Status429TooManyRequests, "Storage quota exceeded"),
        [ErrorCodes.HeadersTooLarge] = (StatusCodes.Status431RequestHeaderFieldsTooLarge, "Request headers too large"),
        [ErrorCodes.InternalError] = (StatusCodes.Status500InternalServerError, "Internal error"),
        [ErrorCodes.Unavailable] = (StatusCodes.Status503ServiceUnavailable, "Temporarily unavailable"),
    };

    /// <summary>
    /// The code of a status that leaves the pipeline with no body, where several codes share it: the
    /// one that means "refused as a request, before anything was judged" (a body-less 413 is
    /// Kestrel's body limit, a body-less 429 the rate limiter's; quotas always write their own).
    /// </summary>
    private static readonly Dictionary<int, string> RequestCodes = new()
    {
        [StatusCodes.Status400BadRequest] = ErrorCodes.BadRequest,
        [StatusCodes.Status413PayloadTooLarge] = ErrorCodes.PayloadTooLarge,
        [StatusCodes.Status429TooManyRequests] = ErrorCodes.RateLimited,
    };

    /// <summary>Each status that exactly one code has, with that code, and the shared ones' request codes.</summary>
    private static readonly Dictionary<int, string> SoleCodes = Codes.GroupBy(entry => entry.Value.Status)
        .Where(codes => codes.Count() == 1)
        .Select(codes => KeyValuePair.Create(codes.Key, codes.Single().Key))
        .Concat(RequestCodes)
        .ToDictionary();

    /// <summary>All codes with their HTTP status (documented in docs/api.md).</summary>
    public static IReadOnlyDictionary<string, (int Status, string Title)> All => Codes;

    /// <summary>The HTTP status of a code.</summary>
    public static int StatusOf(string code) => Codes.TryGetValue(code, out var entry) ? entry.Status : StatusCodes.Status500InternalServerError;

    /// <summary>
    /// The code of an error response that left the pipeline with no body (routing's 404 and 405, a
    /// binder's 400), by its status: the one code with that status; for 400, 413 and 429, which
    /// several codes share, the request-level one (<see cref="RequestCodes"/>); null for a status
    /// several codes share otherwise (409), which no endpoint leaves empty.
    /// </summary>
    public static string? CodeOfStatus(int status) => SoleCodes.GetValueOrDefault(status);

    /// <summary>problem+json for a rejection.</summary>
    public static ProblemHttpResult For(Rejection rejection)
    {
        var (status, title) = Codes.TryGetValue(rejection.Code, out var entry) ? entry : (StatusCodes.Status500InternalServerError, "Error");
        var extensions = new Dictionary<string, object?> { ["code"] = rejection.Code };
        if (rejection.CurrentStatus is not null)
        {
            extensions["currentStatus"] = rejection.CurrentStatus;
        }
        if (rejection.Approval is not null)
        {
            extensions["decision"] = rejection.Approval;
        }
        foreach (var (name, value) in rejection.Extensions ?? new Dictionary<string, long?>())
        {
            extensions[name] = value;
        }
        if (rejection.Field is not null)
        {
            extensions["field"] = rejection.Field;
        }
        return TypedResults.Problem(rejection.Detail, statusCode: status, title: title,
            type: $"https://levee.dev/problems/{rejection.Code.Replace('_', '-')}", extensions: extensions);
    }

    /// <summary>problem+json for a code and detail.</summary>
    public static ProblemHttpResult For(string code, string detail, string? field = null) => For(new Rejection(code, detail) { Field = field });
}
