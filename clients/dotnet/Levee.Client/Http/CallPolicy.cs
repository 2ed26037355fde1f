namespace Levee.Client.Http;

/// <summary>
/// What the retry handler may do with one request, carried on the request itself: whether a
/// repeat is safe (a GET, a POST that is idempotent by contract, or one with an
/// <c>Idempotency-Key</c>), and how long a long poll may wait on top of the attempt timeout.
/// </summary>
internal static class CallPolicy
{
    private static readonly HttpRequestOptionsKey<bool> RetryableKey = new("Levee.Retryable");
    private static readonly HttpRequestOptionsKey<TimeSpan> WaitKey = new("Levee.Wait");
    private static readonly HttpRequestOptionsKey<bool> StreamingKey = new("Levee.Streaming");

    /// <summary>Marks the request safe to send again.</summary>
    public static HttpRequestMessage Retryable(this HttpRequestMessage request)
    {
        request.Options.Set(RetryableKey, true);
        return request;
    }

    /// <summary>The server may hold this request for <paramref name="wait"/> before answering.</summary>
    public static HttpRequestMessage Waits(this HttpRequestMessage request, TimeSpan wait)
    {
        request.Options.Set(WaitKey, wait);
        return request;
    }

    /// <summary>The reply is read as a stream by the caller (SSE), so it is not buffered on arrival.</summary>
    public static HttpRequestMessage Streams(this HttpRequestMessage request)
    {
        request.Options.Set(StreamingKey, true);
        return request;
    }

    /// <summary>True when the request was marked <see cref="Streams"/>.</summary>
    public static bool IsStreaming(HttpRequestMessage request) => request.Options.TryGetValue(StreamingKey, out var streaming) && streaming;

    /// <summary>True when the request was marked retryable.</summary>
    public static bool IsRetryable(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(RetryableKey, out var retryable) && retryable;

    /// <summary>The attempt timeout for this request: the configured one plus its long-poll wait.</summary>
    public static TimeSpan AttemptTimeout(HttpRequestMessage? request, TimeSpan attemptTimeout) =>
        request is not null && request.Options.TryGetValue(WaitKey, out var wait) ? attemptTimeout + wait : attemptTimeout;
}
