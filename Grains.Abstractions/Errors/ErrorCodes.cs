namespace Levee.Errors;

/// <summary>
/// Stable, machine-readable error codes. They appear as <c>code</c> in every problem+json body
/// and never change meaning; the gateway maps each to exactly one HTTP status.
/// </summary>
public static class ErrorCodes
{
    /// <summary>The request is malformed or a field is invalid.</summary>
    public const string ValidationFailed = "validation_failed";
    /// <summary>The request could not be read (a body shorter than its Content-Length, a malformed request).</summary>
    public const string BadRequest = "bad_request";
    /// <summary>The request body arrived too slowly (below the server's minimum data rate).</summary>
    public const string RequestTimeout = "request_timeout";
    /// <summary>No such resource in the caller's tenant and project.</summary>
    public const string NotFound = "not_found";
    /// <summary>The route exists but not for this HTTP method (the reply's <c>Allow</c> header lists the methods it has).</summary>
    public const string MethodNotAllowed = "method_not_allowed";
    /// <summary>Missing or invalid API key.</summary>
    public const string Unauthorized = "unauthorized";
    /// <summary>The API key lacks the scope the endpoint needs.</summary>
    public const string Forbidden = "forbidden";
    /// <summary>The execution is terminal and cannot change.</summary>
    public const string TerminalState = "terminal_state";
    /// <summary>The requested transition is not allowed from the current status.</summary>
    public const string IllegalTransition = "illegal_transition";
    /// <summary>The lease presented is not the execution's current lease.</summary>
    public const string LeaseLost = "lease_lost";
    /// <summary>An approval was already decided differently.</summary>
    public const string ApprovalConflict = "approval_conflict";
    /// <summary>The idempotency key was used with a different request.</summary>
    public const string IdempotencyKeyMismatch = "idempotency_key_mismatch";
    /// <summary>A resource with this id exists with a different definition.</summary>
    public const string AlreadyExists = "already_exists";
    /// <summary>The batch was aborted.</summary>
    public const string BatchAborted = "batch_aborted";
    /// <summary>A body, line or count is over its limit.</summary>
    public const string PayloadTooLarge = "payload_too_large";
    /// <summary>The request target (path and query) is longer than the gateway accepts.</summary>
    public const string UriTooLong = "uri_too_long";
    /// <summary>The request's header lines are larger in total than the gateway accepts.</summary>
    public const string HeadersTooLarge = "headers_too_large";
    /// <summary>The content type is not accepted by the endpoint.</summary>
    public const string UnsupportedMediaType = "unsupported_media_type";
    /// <summary>Too many requests.</summary>
    public const string RateLimited = "rate_limited";
    /// <summary>
    /// The tenant stores as much as its quota allows (<c>Levee:Grains:Quota:*</c>): nothing new is
    /// admitted until terminal executions are deleted or purged by retention.
    /// </summary>
    public const string QuotaExceeded = "quota_exceeded";
    /// <summary>A batch whose <c>runCount</c> is more executions than the tenant's quota has room for (a smaller batch may fit).</summary>
    public const string BatchExceedsQuota = "batch_exceeds_quota";
    /// <summary>A delete of an execution or batch that has not reached a terminal status.</summary>
    public const string NotTerminal = "not_terminal";
    /// <summary>An unexpected server error.</summary>
    public const string InternalError = "internal_error";
    /// <summary>The server could not complete the request; it is safe to retry.</summary>
    public const string Unavailable = "unavailable";
}
