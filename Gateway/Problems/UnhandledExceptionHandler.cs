using System.Data.Common;
using Levee.Errors;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Levee.Gateway.Problems;

/// <summary>
/// Turns exceptions that escape an endpoint into problem+json with a stable code: a body Kestrel
/// could not read is the client's fault (400 <c>bad_request</c>, 408 <c>request_timeout</c>,
/// 413 <c>payload_too_large</c>, logged as one line at Information); storage failures are 503
/// <c>unavailable</c> (nothing was acknowledged, so retrying is safe); anything else 500
/// <c>internal_error</c>. Details stay in the log, not in the reply.
/// </summary>
public sealed partial class UnhandledExceptionHandler(ILogger<UnhandledExceptionHandler> logger) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            return true; // the client left; there is nobody to answer
        }
        if (exception is BadHttpRequestException unreadable)
        {
            LogUnreadable(httpContext.Request.Method, httpContext.Request.Path, unreadable.StatusCode, unreadable.Message);
            var code = unreadable.StatusCode switch
            {
                StatusCodes.Status408RequestTimeout => ErrorCodes.RequestTimeout,
                StatusCodes.Status413PayloadTooLarge => ErrorCodes.PayloadTooLarge,
                _ => ErrorCodes.BadRequest,
            };
            await ProblemCatalog.For(code, $"The request could not be read: {unreadable.Message}").ExecuteAsync(httpContext);
            return true;
        }
        var storage = exception is DbException or ObjectDisposedException or TimeoutException;
        LogUnhandled(exception, httpContext.Request.Method, httpContext.Request.Path);
        var problem = storage
            ? ProblemCatalog.For(ErrorCodes.Unavailable, "Storage is unavailable; the request was not applied and can be retried.")
            : ProblemCatalog.For(ErrorCodes.InternalError, "An unexpected error occurred; the request may be retried.");
        await problem.ExecuteAsync(httpContext);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Unreadable request {Method} {Path}: {Status} {Reason}")]
    private partial void LogUnreadable(string method, string path, int status, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path}")]
    private partial void LogUnhandled(Exception exception, string method, string path);
}
