using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Levee.Batches;
using Levee.Errors;
using Levee.Executions;
using Levee.Grains.Commits;
using Levee.Grains.Durable;
using Levee.Grains.Serialization;
using Levee.Grains.Storage;
using Levee.Idempotency;
using Microsoft.Extensions.Options;

namespace Levee.Grains.Idempotency;

/// <summary>
/// One Idempotency-Key. The binding (request hash → resource id) is committed before the create
/// is attempted, and the create itself is idempotent by id, so a retry after a crash between the
/// two finishes the create instead of making a second resource. Racing requests take turns here.
/// </summary>
[GrainType(TypeName)]
internal sealed class IdempotencyGrain : Grain, IIdempotencyGrain, ITimerReceiver, IGrainModel<IdempotencyState, IdempotencyEvent>
{
    /// <summary>The grain type, stored with the binding's row: never change it.</summary>
    public const string TypeName = "idem";

    private const string ExpiryTimer = "expire";

    private readonly GrainOptions _options;
    private readonly ResourceKey _key;
    private readonly CommittedState<IdempotencyState, IdempotencyEvent> _committed;

    public IdempotencyGrain(ICommitStore store, TimeProvider clock, IOptions<GrainOptions> options)
    {
        _options = options.Value;
        _key = ResourceKey.Parse(this.GetPrimaryKeyString());
        _committed = new CommittedState<IdempotencyState, IdempotencyEvent>(this.GetGrainId(), store, clock, this);
    }

    public async Task<IdempotentResult<ExecutionView>> CreateExecutionAsync(CreateExecution command, bool idChosenByClient)
    {
        if (command.Validate() is { } invalid)
        {
            return new(Outcome<ExecutionView>.Rejected(invalid), false);
        }
        // The client's id is part of what it asked for; a generated one is not.
        var hash = Hash($"{command.Fingerprint()}|{(idChosenByClient ? command.Id : "")}");
        var (id, replay, rejection) = await BindAsync(IdempotencyKind.Execution, hash, command.Id);
        if (rejection is not null)
        {
            return new(Outcome<ExecutionView>.Rejected(rejection), false);
        }
        var outcome = await GrainFactory.Grain<IExecutionGrain>(_key.With(id))
            .CreateAsync(command with { Id = id, IdempotencyKey = _key.Id });
        return new(outcome, replay && outcome.Kind == OutcomeKind.Unchanged);
    }

    public async Task<IdempotentResult<BatchView>> CreateBatchAsync(CreateBatch command)
    {
        if (command.Validate(_options.MaxBatchRunCount, _options.MaxBatchConcurrency) is { } invalid)
        {
            return new(Outcome<BatchView>.Rejected(invalid), false);
        }
        var hash = Hash(JsonSerializer.Serialize(command with { Id = "" }, GrainsJsonContext.Default.CreateBatch));
        var (id, replay, rejection) = await BindAsync(IdempotencyKind.Batch, hash, command.Id);
        if (rejection is not null)
        {
            return new(Outcome<BatchView>.Rejected(rejection), false);
        }
        var outcome = await GrainFactory.Grain<IBatchGrain>(_key.With(id)).CreateAsync(command with { Id = id });
        return new(outcome, replay && outcome.Kind == OutcomeKind.Unchanged);
    }

    public async Task<bool> ReceiveTimerAsync(string name, DateTimeOffset dueAt)
    {
        _committed.Invalidate();
        _ = name == ExpiryTimer ? await RunAsync(IdempotencyDecider.Expire)
            : throw new InvalidOperationException($"Unexpected idempotency timer '{name}' — a bug.");
        return true;
    }

    /// <summary>Binds the key (or finds it bound): the id of the resource to create or replay.</summary>
    private async Task<(string Id, bool Replay, Rejection? Rejection)> BindAsync(IdempotencyKind kind, string hash, string proposedId)
    {
        var decision = await RunAsync((s, now) => IdempotencyDecider.Bind(s, _key.Id, kind, hash, proposedId, now, _options.IdempotencyTtl));
        return decision.Rejection is { } rejection
            ? ("", false, rejection)
            : (_committed.State!.ResultId, decision.Events.Count == 0, null);
    }

    private Task<IdempotencyDecision> RunAsync(Func<IdempotencyState?, DateTimeOffset, IdempotencyDecision> decide) => _committed.RunAsync(decide);

    IdempotencyState IGrainModel<IdempotencyState, IdempotencyEvent>.ReadState(ReadOnlyMemory<byte> row) =>
        JsonSerializer.Deserialize(row.Span, GrainsJsonContext.Default.IdempotencyState) ?? throw new JsonException("Idempotency state row is empty.");

    IdempotencyState? IGrainModel<IdempotencyState, IdempotencyEvent>.Fold(IdempotencyState? state, IReadOnlyList<IdempotencyEvent> events) =>
        IdempotencyDecider.Fold(state, events);

    /// <summary>The binding's row and its expiry timer; no log (a binding has no stream).</summary>
    ValueTask<GrainCommit> IGrainModel<IdempotencyState, IdempotencyEvent>.BuildCommitAsync(IdempotencyState? before, IdempotencyState? after,
        IReadOnlyList<IdempotencyEvent> events, long version, long lastSeq, DateTimeOffset now) =>
        ValueTask.FromResult(new GrainCommit
        {
            Id = _committed.Id,
            ExpectedVersion = version,
            ExpectedLastSeq = lastSeq,
            State = after is null ? ReadOnlyMemory<byte>.Empty : JsonSerializer.SerializeToUtf8Bytes(after, GrainsJsonContext.Default.IdempotencyState),
            DeleteState = after is null,
            Events = [],
            Timers = after is null || after.ExpiresAt == before?.ExpiresAt ? [] : [new TimerChange(ExpiryTimer, after.ExpiresAt)],
        });

    Task IGrainModel<IdempotencyState, IdempotencyEvent>.OnCommittedAsync(IdempotencyState? state, long lastSeq, IReadOnlyList<IdempotencyEvent> events) =>
        Task.CompletedTask;

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
