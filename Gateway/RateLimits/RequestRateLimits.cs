using System.Globalization;
using System.Threading.RateLimiting;
using Levee.Gateway.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Levee.Gateway.RateLimits;

/// <summary>
/// <c>RequestsPerSecond</c> and <c>Burst</c>: ASP.NET Core's rate-limiting middleware with a
/// token bucket per authenticated tenant key as its global limiter. It runs after
/// <see cref="ApiKeyMiddleware"/>, so what it counts is keys: requests that need no key (health,
/// OpenAPI), that fail authentication (401/403 answer before it) and the admin key's (the operator
/// must be able to revoke a key that is flooding the gateway) are not limited.
/// </summary>
public static class RequestRateLimits
{
    /// <summary>The partition of every request without a tenant key (key ids are never empty); one entry, whatever the traffic.</summary>
    private const string Unlimited = "";

    /// <summary>Registers the middleware's options and <see cref="ConnectionLimits"/>.</summary>
    public static IServiceCollection AddLeveeRateLimits(this IServiceCollection services)
    {
        services.AddSingleton<ConnectionLimits>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<GatewayOptions>>((options, gateway) => Configure(options, gateway.Value.RateLimit));
        return services;
    }

    private static void Configure(RateLimiterOptions options, RateLimitOptions limits)
    {
        if (limits.RequestsPerSecond is not { } rate)
        {
            return; // no global limiter and no policies: the middleware passes every request through
        }
        // One token per 1/rate seconds: the bucket fills continuously at the rate (the partitioned
        // limiter replenishes every 100 ms by the time passed), and a refused lease's RetryAfter is
        // the time to the next token.
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.Burst ?? (int)Math.Ceiling(rate),
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1 / rate),
            QueueLimit = 0,
        };
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"This key is over its limit of {rate} requests per second (burst {bucket.TokenLimit}) on this gateway.");
        // A key's bucket is removed once it has been full for ten seconds (the framework's idle
        // limit), so partitions stay as many as the keys seen lately; a bucket not full is never
        // removed, so dropping it cannot reset a key's limit.
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => Caller.Of(http) is { IsAdmin: false } caller
            ? RateLimitPartition.GetTokenBucketLimiter(caller.KeyId, _ => bucket)
            : RateLimitPartition.GetNoLimiter(Unlimited));
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = (context, _) => new ValueTask(RateLimitRejection.Reject(context.HttpContext, context.Lease, detail).ExecuteAsync(context.HttpContext));
    }
}
