using Levee.Errors;
using Levee.Gateway.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Levee.Gateway.Hosting;

/// <summary>
/// The gateway's limits on a request's head, the first thing the pipeline checks: a target (path
/// and query) over <see cref="MaxTargetBytes"/> is 414 <c>uri_too_long</c>, header lines over
/// <see cref="MaxHeaderBytes"/> in total are 431 <c>headers_too_large</c> naming the largest
/// header, both problem+json. Kestrel answers a head over its own limits before the app runs,
/// with an empty body and no hook to change it, so <see cref="GatewayKestrel"/> raises those to
/// an outer guard and this answers everything between.
/// </summary>
public sealed class RequestHeadLimits(RequestDelegate next)
{
    /// <summary>Longest request target (path and query string, as sent): 8 KiB.</summary>
    public const int MaxTargetBytes = 8 * 1024;

    /// <summary>Largest total of the header lines (<c>name: value</c> and CRLF each, as sent): 16 KiB.</summary>
    public const int MaxHeaderBytes = 16 * 1024;

    /// <summary>Checks the head, then runs the rest of the pipeline.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        // Kestrel only admits ASCII in the target and in header values, so characters are bytes.
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        if (target.Length > MaxTargetBytes)
        {
            return ProblemCatalog.For(ErrorCodes.UriTooLong,
                $"The request target is {target.Length} bytes; the gateway accepts at most {MaxTargetBytes}.").ExecuteAsync(context);
        }
        var (total, largest, largestBytes) = (0, "", 0);
        foreach (var (name, values) in context.Request.Headers)
        {
            var bytes = 0;
            foreach (var value in values)
            {
                bytes += name.Length + (value?.Length ?? 0) + 4; // ": " and CRLF
            }
            total += bytes;
            if (bytes > largestBytes)
            {
                (largest, largestBytes) = (name, bytes);
            }
        }
        if (total > MaxHeaderBytes)
        {
            return ProblemCatalog.For(ErrorCodes.HeadersTooLarge,
                $"The request's headers are {total} bytes; the gateway accepts at most {MaxHeaderBytes} (the largest is {largest}, {largestBytes} bytes).",
                largest).ExecuteAsync(context);
        }
        return next(context);
    }
}
