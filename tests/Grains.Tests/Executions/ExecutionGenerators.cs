using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Levee.Executions;
using Levee.Grains.Executions;
using static Levee.Grains.Tests.Executions.ExecutionScenarios;

namespace Levee.Grains.Tests.Executions;

/// <summary>FsCheck generators of commands, reports and worker runs.</summary>
internal static class ExecutionGenerators
{
    public static readonly CreateExecution SameCreate = NewCreate();
    public static readonly CreateExecution OtherCreate = NewCreate() with { Task = "send-sms" };
    public static readonly CreateExecution InvalidCreate = NewCreate() with { Task = "" };

    public static Gen<ExecutionStatus> Status { get; } = Gen.Elements<ExecutionStatus>(AllStatuses);

    public static Gen<ExecutionStatus> Terminal { get; } = Gen.Elements<ExecutionStatus>(TerminalStatuses);

    public static Gen<JsonElement> JsonValue { get; } =
        Gen.Elements(Json("1"), Json("\"tok\""), Json("""{"k":[1,2]}"""), Json("null"));

    public static Gen<ExecutionError> Error { get; } =
        Gen.Elements(new ExecutionError("boom"), new ExecutionError("timeout", "TimeoutException", Retryable: false));

    public static Gen<T?> Maybe<T>(Gen<T> gen) where T : class =>
        Gen.Frequency((1, Gen.Constant<T?>(null)), (2, gen.Select(T? (value) => value)));

    public static Gen<T?> MaybeValue<T>(Gen<T> gen) where T : struct =>
        Gen.Frequency((1, Gen.Constant<T?>(null)), (2, gen.Select(T? (value) => value)));

    public static Gen<string?> Lease { get; } = Gen.Elements<string?>(null, "lease-1");

    public static Gen<WriteStatus> Writes { get; } =
        from status in Status
        from lease in Lease
        from output in MaybeValue(JsonValue)
        from error in Maybe(Error)
        select new WriteStatus(status, lease, output, error);

    /// <summary>Any report: any status or none, any attempt, seq drawn from <paramref name="seq"/>.</summary>
    public static Gen<ReportEvent> Reports(Gen<long?> seq) =>
        from status in MaybeValue(Status)
        from type in Gen.Elements<string?>(null, "progress", "log")
        from attempt in Gen.Elements<int?>(null, null, 1, 1, 0, 2)
        from s in seq
        from output in MaybeValue(JsonValue)
        from error in Maybe(Error)
        from data in MaybeValue(JsonValue)
        select new ReportEvent { Status = status, Type = type, Attempt = attempt, Seq = s, Output = output, Error = error, Data = data };

    public static Gen<long?> AnySeq { get; } = MaybeValue(Gen.Choose(-1, 12).Select(i => (long)i));

    public static Gen<AppendOutput> Appends { get; } =
        from chunks in Gen.ListOf(JsonValue).Resize(3)
        from lease in Lease
        select new AppendOutput(chunks.ToList(), lease);

    public static Gen<CancelExecution> Cancels { get; } = Gen.Elements<string?>(null, "user").Select(r => new CancelExecution(r));

    public static Gen<CreateExecution> Creates { get; } = Gen.Elements(SameCreate, OtherCreate, InvalidCreate);

    /// <summary>Any command of any kind.</summary>
    public static Gen<object> Commands { get; } = Gen.OneOf(
        Writes.Select(object (c) => c),
        Reports(AnySeq).Select(object (c) => c),
        Appends.Select(object (c) => c),
        Cancels.Select(object (c) => c),
        Creates.Select(object (c) => c));

    /// <summary>A command that makes a non-terminal execution terminal: strict write, report or cancel.</summary>
    public static Gen<object> Terminating { get; } = Gen.OneOf(
        from status in Terminal
        from output in JsonValue
        from error in Maybe(Error)
        select (object)new WriteStatus(status, Output: output, Error: error),
        from status in Terminal
        from seq in MaybeValue(Gen.Choose(2, 9).Select(i => (long)i))
        from output in JsonValue
        from error in Maybe(Error)
        select (object)new ReportEvent { Status = status, Seq = seq, Output = output, Error = error },
        Cancels.Select(object (c) => c));

    /// <summary>
    /// A realistic run of attempt 1: reports seq 1..n of running/waiting statuses or custom
    /// events, optionally ending in one terminal report (with output or error).
    /// </summary>
    public static Gen<ReportEvent[]> WorkerRun { get; } =
        from n in Gen.Choose(0, 8)
        from steps in Gen.CollectToArray(Enumerable.Range(1, n), i => RunStep(i))
        from end in Gen.Elements(true, false)
        from terminal in TerminalStep(n + 1)
        select end ? [.. steps, terminal] : steps;

    /// <summary>The run delivered at least once each (1-3 copies), in any order.</summary>
    public static Gen<ReportEvent[]> Delivery(IReadOnlyList<ReportEvent> run) =>
        from copies in Gen.CollectToArray(run, report => Gen.Choose(1, 3).Select(k => Enumerable.Repeat(report, k)))
        from shuffled in Gen.Shuffle(copies.SelectMany(c => c))
        select shuffled;

    private static Gen<ReportEvent> RunStep(long seq) =>
        from attempt in Gen.Elements<int?>(null, 1)
        from status in MaybeValue(Gen.Elements(ExecutionStatus.Running, ExecutionStatus.Waiting))
        from data in JsonValue
        select status is null
            ? new ReportEvent { Type = "progress", Data = data, Attempt = attempt, Seq = seq }
            : new ReportEvent { Status = status, Attempt = attempt, Seq = seq };

    private static Gen<ReportEvent> TerminalStep(long seq) =>
        from status in Terminal
        from attempt in Gen.Elements<int?>(null, 1)
        from output in JsonValue
        select new ReportEvent
        {
            Status = status, Attempt = attempt, Seq = seq,
            Output = status == ExecutionStatus.Succeeded ? output : null,
            Error = status == ExecutionStatus.Failed ? new ExecutionError("worker failed") : null,
        };
}
