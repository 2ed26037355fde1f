using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Levee.Client.Http;

/// <summary>
/// The retry pipeline of every client: retry (exponential backoff with jitter, honouring
/// <c>Retry-After</c>) around a per-attempt timeout. Only requests marked
/// <see cref="CallPolicy.Retryable"/> are repeated, so a non-idempotent POST is never sent twice.
/// </summary>
internal static class LeveeResilience
{
    /// <summary>The pipeline's name on the HTTP client builder.</summary>
    public const string PipelineName = "levee";

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, LeveeClientOptions options)
    {
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryDelay,
                MaxDelay = options.MaxRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(CallPolicy.IsRetryable(args.Context.GetRequestMessage()) && IsTransient(args.Outcome)),
            });
        }
        builder.AddTimeout(new HttpTimeoutStrategyOptions
        {
            TimeoutGenerator = args => ValueTask.FromResult(CallPolicy.AttemptTimeout(args.Context.GetRequestMessage(), options.AttemptTimeout)),
        });
    }

    /// <summary>
    /// 5xx, 408, a timeout, a refused or reset connection; and a 429 only when it says when to
    /// come back (<c>rate_limited</c>): a 429 <c>quota_exceeded</c> has no <c>Retry-After</c>,
    /// since room comes back when something is deleted, not with time.
    /// </summary>
    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } response
            ? response.Headers.RetryAfter is not null
            : HttpClientResiliencePredicates.IsTransient(outcome);
}
