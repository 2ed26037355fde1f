namespace Levee.Gateway.RateLimits;

/// <summary>
/// Limits per API key (<c>Levee:Gateway:RateLimit</c>), each off while unset. They are kept by
/// each gateway process on its own: behind N gateways a key may reach N times each limit.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Highest <see cref="RequestsPerSecond"/> accepted (a token every microsecond).</summary>
    public const double MaxRequestsPerSecond = 1_000_000;

    /// <summary>
    /// Requests a key may make per second, sustained (a token bucket that refills at this rate;
    /// fractions such as 0.5 are allowed). Unset: no request limit.
    /// </summary>
    public double? RequestsPerSecond { get; set; }

    /// <summary>
    /// The bucket's size: requests a key may make at once after being idle. Defaults to one
    /// second's worth (<see cref="RequestsPerSecond"/> rounded up). The bucket is refilled every
    /// 100 ms, so a burst under a tenth of the rate also caps the rate at ten bursts a second.
    /// </summary>
    public int? Burst { get; set; }

    /// <summary>Server-sent event streams a key may hold open at once. Unset: no limit.</summary>
    public int? MaxStreamsPerKey { get; set; }

    /// <summary>Long polls (a claim or result read with <c>waitMs</c> above 0) a key may have waiting at once. Unset: no limit.</summary>
    public int? MaxLongPollsPerKey { get; set; }
}
