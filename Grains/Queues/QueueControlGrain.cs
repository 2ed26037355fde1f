using System.Text.Json;
using Levee.Grains.Commits;
using Levee.Grains.Serialization;
using Levee.Grains.Storage;
using Levee.Queues;

namespace Levee.Grains.Queues;

/// <summary>
/// The shell around <see cref="QueueControlDecider"/>: its commit sets or lifts the queue's claim
/// hold in the same transaction as the state and the event, so the pause holds from the moment it
/// is acknowledged; a resume wakes the queue's long-polling claimers.
/// </summary>
[GrainType(TypeName)]
internal sealed class QueueControlGrain : Grain, IQueueControlGrain, IGrainModel<QueueControlState, QueuePauseSet>
{
    /// <summary>The grain type, stored with its row and stream: never change it.</summary>
    public const string TypeName = "qctl";

    private readonly ResourceKey _key;
    private readonly CommittedState<QueueControlState, QueuePauseSet> _committed;

    public QueueControlGrain(ICommitStore store, TimeProvider clock)
    {
        _key = ResourceKey.Parse(this.GetPrimaryKeyString());
        _committed = new CommittedState<QueueControlState, QueuePauseSet>(this.GetGrainId(), store, clock, this);
    }

    public Task<QueueView> PauseAsync(string? reason) => SetAsync(true, reason);

    public Task<QueueView> ResumeAsync(string? reason) => SetAsync(false, reason);

    public async Task<QueueView> GetAsync()
    {
        await _committed.EnsureFreshAsync();
        return View();
    }

    private async Task<QueueView> SetAsync(bool paused, string? reason)
    {
        await _committed.RunAsync((s, now) => QueueControlDecider.Set(s, paused, reason, now));
        return View();
    }

    private QueueView View() => new(_key.Id, _committed.State?.Paused ?? false);

    QueueControlState IGrainModel<QueueControlState, QueuePauseSet>.ReadState(ReadOnlyMemory<byte> row) =>
        JsonSerializer.Deserialize(row.Span, GrainsJsonContext.Default.QueueControlState) ?? throw new JsonException("Queue control row is empty.");

    QueueControlState? IGrainModel<QueueControlState, QueuePauseSet>.Fold(QueueControlState? state, IReadOnlyList<QueuePauseSet> events) =>
        QueueControlDecider.Fold(state, _key.Id, events);

    ValueTask<GrainCommit> IGrainModel<QueueControlState, QueuePauseSet>.BuildCommitAsync(QueueControlState? before, QueueControlState? after,
        IReadOnlyList<QueuePauseSet> events, long version, long lastSeq, DateTimeOffset now) =>
        ValueTask.FromResult(new GrainCommit
        {
            Id = _committed.Id,
            ExpectedVersion = version,
            ExpectedLastSeq = lastSeq,
            State = JsonSerializer.SerializeToUtf8Bytes(after!, StoredStateJson.For<QueueControlState>()),
            Events = events.Select(e => new NewEvent(e.LogType, LogPayloads.Of(e), e.At)).ToArray(),
            Hold = new ClaimHold(_key.Tenant, _key.Project, ClaimHoldKind.Queue, _key.Id, after!.Paused),
        });

    async Task IGrainModel<QueueControlState, QueuePauseSet>.OnCommittedAsync(QueueControlState? state, long lastSeq, IReadOnlyList<QueuePauseSet> events)
    {
        if (state is { Paused: false })
        {
            await GrainFactory.Grain<IQueueGrain>(_key).ReadyAsync();
        }
    }
}
