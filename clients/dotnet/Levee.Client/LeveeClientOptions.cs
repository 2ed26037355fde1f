namespace Levee.Client;

/// <summary>Where the API is, the key to call it with, and how hard to retry.</summary>
public sealed class LeveeClientOptions
{
    /// <summary>The gateway's base address, e.g. <c>http://127.0.0.1:5080</c>.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The API key (sent as a bearer token).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Retries of one call after a transient failure (5xx, 408, a timeout, a reset connection); 0 turns them off.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>The first retry's median delay; it grows exponentially, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest delay between two retries.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one attempt may take (a long poll gets its wait on top).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    internal void Validate()
    {
        if (BaseAddress is null || !BaseAddress.IsAbsoluteUri)
        {
            throw new InvalidOperationException("LeveeClientOptions.BaseAddress must be an absolute URI, e.g. http://127.0.0.1:5080.");
        }
        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            throw new InvalidOperationException("LeveeClientOptions.ApiKey is required.");
        }
        if (MaxRetries < 0 || RetryDelay < TimeSpan.Zero || MaxRetryDelay < RetryDelay || AttemptTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("LeveeClientOptions: MaxRetries >= 0, 0 <= RetryDelay <= MaxRetryDelay and AttemptTimeout > 0 are required.");
        }
    }
}
