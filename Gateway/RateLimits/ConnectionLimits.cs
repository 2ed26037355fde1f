using System.Threading.RateLimiting;
using Levee.Gateway.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Levee.Gateway.RateLimits;

/// <summary>
/// <c>MaxStreamsPerKey</c> and <c>MaxLongPollsPerKey</c>: a concurrency limiter per key and kind.
/// Taken by the endpoint, not by the rate-limiting middleware, because only the endpoint knows
/// the request will stay open (an SSE response and not a JSON page; a claim's <c>waitMs</c> is in
/// its body). The opening request has already taken its one token of the request rate; an open
/// connection takes no more. Partitions are the framework's: one removes itself once its key has
/// held nothing for ten seconds, so a key seen once costs nothing for long.
/// </summary>
public sealed class ConnectionLimits : IAsyncDisposable
{
    private readonly PartitionedRateLimiter<string>? _streams;
    private readonly PartitionedRateLimiter<string>? _longPolls;
    private readonly RateLimitOptions _limits;

    /// <summary>Creates the limiters the options turn on.</summary>
    public ConnectionLimits(IOptions<GatewayOptions> options)
    {
        _limits = options.Value.RateLimit;
        _streams = Create(_limits.MaxStreamsPerKey);
        _longPolls = Create(_limits.MaxLongPollsPerKey);
    }

    /// <summary>
    /// A place among the caller's connections of this kind, to hold while the connection is open;
    /// one with <see cref="ConnectionSlot.Rejected"/> (429, <c>Retry-After</c> set) when all are taken.
    /// </summary>
    public ConnectionSlot Open(ConnectionKind kind, HttpContext http)
    {
        var (limiter, what) = kind switch
        {
            ConnectionKind.Stream => (_streams, $"open event streams ({_limits.MaxStreamsPerKey})"),
            ConnectionKind.LongPoll => (_longPolls, $"waiting long polls ({_limits.MaxLongPollsPerKey})"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unexpected connection kind — a bug"),
        };
        if (limiter is null || Caller.Of(http) is not { IsAdmin: false } caller)
        {
            return default;
        }
        var lease = limiter.AttemptAcquire(caller.KeyId);
        if (lease.IsAcquired)
        {
            return new ConnectionSlot(lease, null);
        }
        using (lease)
        {
            // A concurrency limiter cannot know when a place frees, so Retry-After is the least, 1 s.
            return new ConnectionSlot(null, RateLimitRejection.Reject(http, lease, $"This key has reached its limit of {what} on this gateway."));
        }
    }

    private static PartitionedRateLimiter<string>? Create(int? permits) => permits is { } limit
        ? PartitionedRateLimiter.Create<string, string>(keyId => RateLimitPartition.GetConcurrencyLimiter(keyId,
            _ => new ConcurrencyLimiterOptions { PermitLimit = limit, QueueLimit = 0 }))
        : null;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_streams is not null)
        {
            await _streams.DisposeAsync();
        }
        if (_longPolls is not null)
        {
            await _longPolls.DisposeAsync();
        }
    }
}
