using System.Globalization;
using System.Threading.RateLimiting;
using Levee.Errors;
using Levee.Gateway.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Levee.Gateway.RateLimits;

/// <summary>The one 429 of every limit: problem+json <c>rate_limited</c> with <c>Retry-After</c> in whole seconds.</summary>
internal static class RateLimitRejection
{
    /// <summary>
    /// Sets <c>Retry-After</c> from the refused lease's <see cref="MetadataName.RetryAfter"/> (a
    /// token bucket's time to its next token), rounded up and at least 1 s, and returns the problem.
    /// </summary>
    public static ProblemHttpResult Reject(HttpContext http, RateLimitLease refused, string detail)
    {
        var seconds = refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return ProblemCatalog.For(ErrorCodes.RateLimited, $"{detail} Retry after {seconds} s.");
    }
}
