using Levee.Errors;

namespace Levee.Grains.Idempotency;

/// <summary>The Idempotency-Key rules as pure functions: first request binds, the same request again replays, another request is refused.</summary>
internal static class IdempotencyDecider
{
    /// <summary>
    /// A request arrives with the key. Bound live to the same kind and hash: unchanged (a replay).
    /// Bound live otherwise: <c>idempotency_key_mismatch</c>. Unbound or expired: bind it to
    /// <paramref name="proposedId"/> until <paramref name="now"/> + <paramref name="ttl"/>.
    /// </summary>
    public static IdempotencyDecision Bind(IdempotencyState? state, string key, IdempotencyKind kind, string requestHash, string proposedId,
        DateTimeOffset now, TimeSpan ttl)
    {
        if (state is not null && state.IsLive(now))
        {
            return state.Kind == kind && state.RequestHash == requestHash
                ? IdempotencyDecision.Unchanged
                : IdempotencyDecision.Reject(new Rejection(ErrorCodes.IdempotencyKeyMismatch, $"Idempotency-Key '{key}' was used with a different request.")
                {
                    Field = "Idempotency-Key",
                });
        }
        return IdempotencyDecision.Accept(new KeyBound(now, kind, requestHash, proposedId, now + ttl));
    }

    /// <summary>The expiry timer: a binding past its expiry is purged; anything else is unchanged.</summary>
    public static IdempotencyDecision Expire(IdempotencyState? state, DateTimeOffset now) =>
        state is not null && !state.IsLive(now) ? IdempotencyDecision.Accept(new KeyExpired(now)) : IdempotencyDecision.Unchanged;

    public static IdempotencyState? Evolve(IdempotencyState? state, IdempotencyEvent @event) => @event switch
    {
        KeyBound bound => new IdempotencyState(bound.Kind, bound.RequestHash, bound.ResultId, bound.At, bound.ExpiresAt),
        KeyExpired => null,
        _ => throw new InvalidOperationException($"Unexpected idempotency event '{@event.GetType().Name}' — a bug."),
    };

    public static IdempotencyState? Fold(IdempotencyState? state, IEnumerable<IdempotencyEvent> events) => events.Aggregate(state, Evolve);
}
