using Levee.Batches;
using Levee.Errors;
using Levee.Executions;

namespace Levee.Idempotency;

/// <summary>
/// One <c>Idempotency-Key</c> of a tenant's project (key: <c>tenant/project/key</c>, see
/// <see cref="ResourceKey"/>), for executions and batches alike. The first request binds the
/// key to what it asked for and to the id of the resource it creates, durably, before creating
/// it; the same request again (within the TTL) answers with that resource; another request with
/// the key is <c>idempotency_key_mismatch</c>. Racing requests with one key take turns here, so
/// exactly one creates. After the TTL the binding is purged and the key may be used again.
/// </summary>
[Alias("Levee.IIdempotencyGrain")]
public interface IIdempotencyGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates an execution under this key. <paramref name="idChosenByClient"/>: the client's id is
    /// part of what it asked for; a generated one is not (a retry would generate another).
    /// </summary>
    [Alias("CreateExecution")]
    Task<IdempotentResult<ExecutionView>> CreateExecutionAsync(CreateExecution command, bool idChosenByClient);

    /// <summary>Creates a batch under this key (its id is always generated).</summary>
    [Alias("CreateBatch")]
    Task<IdempotentResult<BatchView>> CreateBatchAsync(CreateBatch command);
}

/// <summary>What a create under an Idempotency-Key did.</summary>
/// <param name="Outcome">The create's outcome (or the original resource, when replayed).</param>
/// <param name="Replayed">True when this answers an earlier request with the same key.</param>
[GenerateSerializer, Immutable, Alias("Levee.IdempotentResult`1")]
public sealed record IdempotentResult<T>([property: Id(0)] Outcome<T> Outcome, [property: Id(1)] bool Replayed);
