using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Levee.Gateway.RateLimits;

/// <summary>
/// A connection's place among its key's (<see cref="ConnectionLimits.Open"/>), held until disposed;
/// <c>default</c> when nothing is counted.
/// </summary>
/// <param name="Lease">The limiter's lease, or null when the kind is unlimited.</param>
/// <param name="Rejected">The 429 to answer when every place was taken, else null.</param>
public readonly record struct ConnectionSlot(RateLimitLease? Lease, ProblemHttpResult? Rejected) : IDisposable
{
    /// <summary>Frees the place.</summary>
    public void Dispose() => Lease?.Dispose();
}
