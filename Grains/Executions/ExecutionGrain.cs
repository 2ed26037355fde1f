using Levee.Errors;
using Levee.Executions;
using Levee.Idempotency;
using Levee.Runtime;

namespace Levee.Grains.Executions;

/// <summary>
/// The thin shell around <see cref="ExecutionDecider"/>: keeps the committed state in memory,
/// decides, commits events + state atomically (compare-and-set), replies. On a version conflict
/// (another activation wrote first) it reloads and decides again.
/// </summary>
internal sealed class ExecutionGrain(IGrainContext context, IGrainStorage storage, TimeProvider clock, GrainOptions options) : IExecutionGrain
{
    /// <summary>Conflicts in a row before giving up; each one means another activation made progress.</summary>
    private const int MaxConflictRounds = 16;

    private ExecutionState? _state;
    private long _version;
    private long _lastSeq;
    private bool _stale = true;
    private bool _loadedOnce;

    public async Task<Outcome<ExecutionView>> CreateAsync(CreateExecution command) =>
        ToOutcome(await RunAsync((s, now) => ExecutionDecider.Decide(s, command, now), ClaimFor(command), assumeNew: true));

    public async Task<ExecutionView?> GetAsync()
    {
        await EnsureFreshAsync();
        return _state?.ToView(_version, _lastSeq);
    }

    public async Task<Outcome<ExecutionView>> WriteStatusAsync(WriteStatus command) =>
        ToOutcome(await RunAsync((s, now) => ExecutionDecider.Decide(s, command, now)));

    public async Task<ReportResult> ReportAsync(ReportEvent report)
    {
        var decision = await RunAsync((s, now) => ExecutionDecider.Decide(s, report, now));
        return _state is null ? ReportResult.Unknown : decision.Events.Count > 0 ? ReportResult.Applied : ReportResult.Ignored;
    }

    public async Task<Outcome<OutputRange>> AppendOutputAsync(AppendOutput command)
    {
        var decision = await RunAsync((s, now) => ExecutionDecider.Decide(s, command, now));
        return decision.Rejection is { } rejection
            ? Outcome<OutputRange>.Rejected(rejection)
            : Outcome<OutputRange>.Applied(new OutputRange(_lastSeq - decision.Events.Count + 1, _lastSeq));
    }

    public async Task<Outcome<ExecutionView>> CancelAsync(CancelExecution command) =>
        ToOutcome(await RunAsync((s, now) => ExecutionDecider.Decide(s, command, now)));

    /// <summary>Creation claims the Idempotency-Key in the same transaction, so two racing requests cannot both create.</summary>
    private IdempotencyClaim? ClaimFor(CreateExecution command)
    {
        if (command.Idempotency is not { } request)
        {
            return null;
        }
        var (tenant, project, id) = ExecutionKey.Parse(context.Id.Key);
        return new IdempotencyClaim(tenant, project, request.Key, request.RequestHash, id, clock.GetUtcNow().Add(options.IdempotencyTtl));
    }

    // assumeNew: on a fresh activation, decide as if the grain did not exist instead of reading
    // first. The insert is itself a compare-and-set on "does not exist", so if it does, the
    // commit conflicts and the command is decided again on the loaded state. Saves a read per create.
    private async Task<Decision> RunAsync(Func<ExecutionState?, DateTimeOffset, Decision> decide, IdempotencyClaim? claim = null, bool assumeNew = false)
    {
        if (_stale && assumeNew && !_loadedOnce)
        {
            (_state, _version, _lastSeq, _stale) = (null, 0, 0, false);
        }
        await EnsureFreshAsync();
        for (var round = 0; ; round++)
        {
            var decision = decide(_state, clock.GetUtcNow());
            if (decision.Rejection is not null || decision.Events.Count == 0)
            {
                return decision;
            }
            var next = ExecutionDecider.Fold(_state, decision.Events)!;
            CommitOutcome outcome;
            try
            {
                outcome = await storage.CommitAsync(BuildCommit(next, decision.Events, claim), CancellationToken.None);
            }
            catch
            {
                // The commit may or may not have landed: trust nothing in memory until reloaded.
                _stale = true;
                throw;
            }
            switch (outcome.Status)
            {
                case CommitStatus.Committed:
                    (_state, _version, _lastSeq) = (next, outcome.Version, outcome.LastSeq);
                    return decision;
                case CommitStatus.IdempotencyKeyTaken:
                    return Decision.Reject(new Rejection(ErrorCodes.IdempotencyKeyMismatch,
                        $"Idempotency-Key '{claim?.Key}' is already bound to another request."));
                case CommitStatus.VersionConflict when round < MaxConflictRounds:
                    await LoadAsync(CancellationToken.None);
                    break;
                default:
                    throw new InvalidOperationException($"Grain {context.Id} lost {MaxConflictRounds} version races in a row.");
            }
        }
    }

    private GrainCommit BuildCommit(ExecutionState next, IReadOnlyList<ExecutionEvent> events, IdempotencyClaim? claim)
    {
        var statusChanged = _state is null || next.Status != _state.Status;
        return new GrainCommit
        {
            Id = context.Id,
            ExpectedVersion = _version,
            ExpectedLastSeq = _lastSeq,
            State = ExecutionCodec.WriteState(next),
            Events = events.Select(ExecutionCodec.ToLogEvent).ToArray(),
            ExecutionIndex = statusChanged ? IndexRow(next) : null,
            IdempotencyClaim = _state is null ? claim : null,
        };
    }

    private ExecutionIndexRow IndexRow(ExecutionState state)
    {
        var (tenant, project, id) = ExecutionKey.Parse(context.Id.Key);
        return new ExecutionIndexRow(tenant, project, id, state.Status, state.Task, state.Queue, state.ParentId, state.CreatedAt);
    }

    private Task EnsureFreshAsync() => _stale ? LoadAsync(CancellationToken.None) : Task.CompletedTask;

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var stored = await storage.ReadAsync(context.Id, cancellationToken);
        (_state, _version, _lastSeq) = stored is null ? (null, 0L, 0L) : (ExecutionCodec.ReadState(stored.State.Span), stored.Version, stored.LastSeq);
        (_stale, _loadedOnce) = (false, true);
    }

    private Outcome<ExecutionView> ToOutcome(Decision decision)
    {
        if (decision.Rejection is { } rejection)
        {
            return Outcome<ExecutionView>.Rejected(rejection);
        }
        var view = _state!.ToView(_version, _lastSeq);
        return decision.Events.Count > 0 ? Outcome<ExecutionView>.Applied(view) : Outcome<ExecutionView>.Unchanged(view);
    }
}
