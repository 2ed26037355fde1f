namespace Levee.Grains.Idempotency;

/// <summary>What an Idempotency-Key is bound to.</summary>
/// <param name="Kind">What the key created: <see cref="IdempotencyKind"/>.</param>
/// <param name="RequestHash">Hash of everything the first request asked for.</param>
/// <param name="ResultId">The id of the resource it creates.</param>
/// <param name="BoundAt">When the first request bound it.</param>
/// <param name="ExpiresAt">After this the key may be used again (and the binding is purged).</param>
internal sealed record IdempotencyState(IdempotencyKind Kind, string RequestHash, string ResultId, DateTimeOffset BoundAt, DateTimeOffset ExpiresAt)
{
    public bool IsLive(DateTimeOffset now) => ExpiresAt > now;
}

/// <summary>What a key created: one mechanism serves both.</summary>
internal enum IdempotencyKind
{
    /// <summary>An execution (<c>POST /v1/executions</c>).</summary>
    Execution,
    /// <summary>A batch (<c>POST /v1/batches</c>).</summary>
    Batch,
}

/// <summary>Facts of an idempotency key (kept in state, never on a client-visible log).</summary>
internal abstract record IdempotencyEvent(DateTimeOffset At);

/// <summary>A request bound the key.</summary>
internal sealed record KeyBound(DateTimeOffset At, IdempotencyKind Kind, string RequestHash, string ResultId, DateTimeOffset ExpiresAt) : IdempotencyEvent(At);

/// <summary>The binding expired and is purged.</summary>
internal sealed record KeyExpired(DateTimeOffset At) : IdempotencyEvent(At);

/// <summary>Events to commit (none = unchanged), or a rejection.</summary>
internal sealed record IdempotencyDecision(IReadOnlyList<IdempotencyEvent> Events, Levee.Errors.Rejection? Rejection) : Commits.IDecision<IdempotencyEvent>
{
    public static IdempotencyDecision Unchanged { get; } = new([], null);
    public static IdempotencyDecision Accept(IdempotencyEvent e) => new([e], null);
    public static IdempotencyDecision Reject(Levee.Errors.Rejection rejection) => new([], rejection);
}
