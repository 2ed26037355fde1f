using System.Text.Json;
using Levee.Batches;
using Levee.Executions;
using Levee.Grains.Batches;
using Levee.Grains.Tests.Serialization;
using Xunit;

namespace Levee.Grains.Tests.Batches;

/// <summary>
/// Builds batch states the way production does: by deciding real commands and folding the events
/// they produce. No state here is constructed by hand.
/// </summary>
internal static class BatchScenarios
{
    public static readonly DateTimeOffset Now = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>The limit the tests pass as <c>maxRunCount</c>.</summary>
    public const int MaxRunCount = 1_000;

    /// <summary>The default run count of <see cref="NewCreate"/>.</summary>
    public const int RunCount = 3;

    public static IReadOnlyList<ExecutionStatus> TerminalOutcomes { get; } =
        [ExecutionStatus.Succeeded, ExecutionStatus.Failed, ExecutionStatus.Cancelled, ExecutionStatus.TimedOut];

    public static IReadOnlyList<BatchStatus> AllStatuses { get; } = Enum.GetValues<BatchStatus>();

    public static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static CreateBatch NewCreate(int runCount = RunCount, string id = "batch-1") => new()
    {
        Id = id, RunCount = runCount, Task = "resize-image", Queue = "images",
    };

    public static BatchItem Item(int index, string? task = null) => new(index, task, Json($$"""{"n":{{index}}}"""));

    public static AcceptItems Chunk(params int[] indexes) => new([.. indexes.Select(i => Item(i))]);

    public static IReadOnlySet<int> None { get; } = new HashSet<int>();

    public static IReadOnlySet<int> Set(params int[] indexes) => new HashSet<int>(indexes);

    /// <summary>Folds a decision that must be accepted and change something.</summary>
    public static BatchState Then(this BatchState? state, BatchDecision decision)
    {
        Assert.Null(decision.Rejection);
        Assert.NotEmpty(decision.Events);
        return StoredRoundTrip.Stored(BatchDecider.Fold(state, decision.Events))!;
    }

    public static BatchState Created(int runCount = RunCount, CreateBatch? create = null) =>
        ((BatchState?)null).Then(BatchDecider.Decide(null, create ?? NewCreate(runCount), MaxRunCount, Now));

    /// <summary>Accepts <paramref name="indexes"/>, none of which the batch accepted before.</summary>
    public static BatchState Accept(this BatchState state, params int[] indexes) => state.Accept(Now.AddSeconds(1), indexes);

    public static BatchState Accept(this BatchState state, DateTimeOffset at, params int[] indexes) =>
        state.Then(BatchDecider.Decide(state, Chunk(indexes), None, at));

    /// <summary>Child <paramref name="index"/> finished with <paramref name="outcome"/>, counted for the first time.</summary>
    public static BatchState Finish(this BatchState state, int index, ExecutionStatus outcome, DateTimeOffset? at = null) =>
        state.Then(BatchDecider.ChildFinished(state, index, outcome, alreadyCounted: false, at ?? Now.AddSeconds(2)));

    /// <summary>Every child <c>i</c> finishes with <c>outcomes[i]</c>.</summary>
    public static BatchState FinishAll(this BatchState state, params ExecutionStatus[] outcomes) =>
        outcomes.Select((outcome, index) => (outcome, index)).Aggregate(state, (s, x) => s.Finish(x.index, x.outcome));

    public static BatchState Cancelled(this BatchState state, string? reason = "user") =>
        state.Then(BatchDecider.Decide(state, new CancelBatch(reason), Now.AddSeconds(3)));

    /// <summary>The <see cref="RunCount"/>-item batch in <paramref name="status"/>, reached through its ordinary path.</summary>
    public static BatchState InStatus(BatchStatus status)
    {
        var created = Created();
        return status switch
        {
            BatchStatus.Pending => created.Accept(0),
            BatchStatus.Processing => created.Accept(0, 1, 2).Finish(0, ExecutionStatus.Succeeded),
            BatchStatus.Completed => created.Accept(0, 1, 2).FinishAll(ExecutionStatus.Succeeded, ExecutionStatus.Succeeded, ExecutionStatus.Succeeded),
            BatchStatus.PartialFailed => created.Accept(0, 1, 2).FinishAll(ExecutionStatus.Succeeded, ExecutionStatus.Failed, ExecutionStatus.TimedOut),
            BatchStatus.Failed => created.Accept(0, 1, 2).FinishAll(ExecutionStatus.Failed, ExecutionStatus.Cancelled, ExecutionStatus.TimedOut),
            BatchStatus.Aborted => created.Accept(0).Cancelled(),
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
        };
    }

    public static void AssertUnchanged(BatchDecision decision)
    {
        Assert.Null(decision.Rejection);
        Assert.Empty(decision.Events);
    }

    public static void AssertRejected(BatchDecision decision, string code, BatchStatus? current, string? field = null)
    {
        Assert.NotNull(decision.Rejection);
        Assert.Equal(code, decision.Rejection.Code);
        Assert.Equal(current?.ToWire(), decision.Rejection.CurrentStatus);
        Assert.Equal(field, decision.Rejection.Field);
        Assert.Empty(decision.Events);
    }

    /// <summary>The event types of a decision, in order (e.g. <c>items_accepted, sealed</c>).</summary>
    public static string[] Types(BatchDecision decision) => [.. decision.Events.Select(e => e.LogType)];
}
