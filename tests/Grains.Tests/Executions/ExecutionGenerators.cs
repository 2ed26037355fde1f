using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Levee.Executions;
using Levee.Grains.Executions;
using static Levee.Grains.Tests.Executions.ExecutionScenarios;

namespace Levee.Grains.Tests.Executions;

/// <summary>One step of a simulated fleet of workers around one execution (see <see cref="ExecutionGenerators.FleetRuns"/>).</summary>
/// <remarks>
/// <c>Age</c> picks which of the worker's leases it presents: 0 = the newest it received from a
/// successful claim, 1 = the one before, ...; past its oldest (or before any), a lease never issued.
/// </remarks>
internal abstract record FleetStep;

internal sealed record ClaimStep(int Worker) : FleetStep;

internal sealed record HeartbeatStep(int Worker, int Age) : FleetStep;

internal sealed record CompleteStep(int Worker, int Age, int Output) : FleetStep;

internal sealed record FailStep(int Worker, int Age, bool Retryable, long? RetryAfterMs, double Jitter) : FleetStep;

internal sealed record ReleaseStep(int Worker, int Age) : FleetStep;

internal sealed record RequestStep(int Worker, int Age, int Call, long? TimeoutMs) : FleetStep;

internal sealed record DecideStep(int Call, bool Approved) : FleetStep;

internal sealed record CancelStep : FleetStep;

/// <summary>Advance the clock to the live lease's expiry (if any) and fire the lease timer as the grain does.</summary>
internal sealed record ExpireLeaseStep(double Jitter) : FleetStep;

/// <summary>A lease timer for some worker's lease, whatever the state (stale timers).</summary>
internal sealed record StaleLeaseTimerStep(int Worker, int Age, double Jitter) : FleetStep;

/// <summary>Advance the clock to the earliest durable timer of the state and fire it as the grain does.</summary>
internal sealed record FireNextTimerStep(double Jitter) : FleetStep;

/// <summary>Let time pass without any timer firing (leases lapse unnoticed).</summary>
internal sealed record WaitStep(int Ms) : FleetStep;

/// <summary>A generated fleet run: the execution's definition and steps, each after a clock tick (ms).</summary>
internal sealed record FleetRun(CreateExecution Create, (FleetStep Step, int TickMs)[] Steps)
{
    public override string ToString() =>
        $"FleetRun {{ Retry = {Create.Retry}, Timeouts = {Create.Timeouts}, DelayMs = {Create.DelayMs}, Steps =\n    "
        + string.Join("\n    ", Steps.Select((s, i) => $"{i}: +{s.TickMs}ms {s.Step}")) + " }";
}

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

    /// <summary>How many simulated workers a fleet run has.</summary>
    public const int Workers = 3;

    /// <summary>How many distinct tool calls a fleet run asks approval for.</summary>
    public const int Calls = 4;

    public static Gen<double> Jitters { get; } = Gen.Choose(0, 1000).Select(i => i / 1000.0);

    /// <summary>Mostly the newest lease, sometimes an old one, sometimes one never issued.</summary>
    public static Gen<int> LeaseAge { get; } = Gen.Frequency((6, Gen.Constant(0)), (2, Gen.Constant(1)), (1, Gen.Constant(2)), (1, Gen.Constant(9)));

    private static Gen<int> Worker { get; } = Gen.Choose(0, Workers - 1);

    private static Gen<long?> OptionalMs(int min, int max) => MaybeValue(Gen.Choose(min, max).Select(ms => (long)ms));

    /// <summary>Definitions with valid, small retry policies and timeouts, so that retries, expiries and deadlines all happen.</summary>
    public static Gen<CreateExecution> FleetCreates { get; } =
        from maxAttempts in Gen.Choose(1, 4)
        from initial in Gen.Elements(0L, 100L, 1_000L)
        from factor in Gen.Elements(1.0, 2.0, 3.0)
        from cap in Gen.Elements(1L, 10L)
        from executionMs in OptionalMs(5_000, 300_000)
        from heartbeatMs in MaybeValue(Gen.Elements(1_000L, 5_000L, 30_000L))
        from delayMs in OptionalMs(0, 3_000)
        select NewCreate() with
        {
            Retry = new RetryPolicy(maxAttempts, initial, factor, initial * cap),
            Timeouts = executionMs is null && heartbeatMs is null ? null : new ExecutionTimeouts(executionMs, heartbeatMs),
            DelayMs = delayMs,
        };

    public static Gen<FleetStep> FleetSteps { get; } = Gen.Frequency(
        (4, Worker.Select(FleetStep (w) => new ClaimStep(w))),
        (3, from w in Worker from age in LeaseAge select (FleetStep)new HeartbeatStep(w, age)),
        (2, from w in Worker from age in LeaseAge from output in Gen.Choose(0, 99) select (FleetStep)new CompleteStep(w, age, output)),
        (3, from w in Worker
            from age in LeaseAge
            from retryable in Gen.Elements(true, true, false)
            from retryAfter in Gen.Frequency((3, Gen.Constant<long?>(null)), (1, OptionalMs(0, 5_000)))
            from jitter in Jitters
            select (FleetStep)new FailStep(w, age, retryable, retryAfter, jitter)),
        (2, from w in Worker from age in LeaseAge select (FleetStep)new ReleaseStep(w, age)),
        (3, from w in Worker
            from age in LeaseAge
            from call in Gen.Choose(0, Calls - 1)
            from timeout in OptionalMs(1_000, 60_000)
            select (FleetStep)new RequestStep(w, age, call, timeout)),
        (3, from call in Gen.Choose(0, Calls - 1) from approved in Gen.Elements(true, false) select (FleetStep)new DecideStep(call, approved)),
        (1, Gen.Constant<FleetStep>(new CancelStep())),
        (2, Jitters.Select(FleetStep (j) => new ExpireLeaseStep(j))),
        (1, from w in Worker from age in LeaseAge from jitter in Jitters select (FleetStep)new StaleLeaseTimerStep(w, age, jitter)),
        (2, Jitters.Select(FleetStep (j) => new FireNextTimerStep(j))),
        (1, Gen.Choose(1_000, 120_000).Select(FleetStep (ms) => new WaitStep(ms))));

    /// <summary>Mostly no or short ticks between steps, sometimes long enough for a lease to lapse.</summary>
    public static Gen<int> Ticks { get; } = Gen.Frequency(
        (4, Gen.Constant(0)), (5, Gen.Choose(1, 2_000)), (1, Gen.Choose(2_000, 40_000)));

    public static Gen<FleetRun> FleetRuns { get; } =
        from create in FleetCreates
        from n in Gen.Choose(1, 60)
        from steps in Gen.CollectToArray(Enumerable.Range(0, n), _ => from step in FleetSteps from tick in Ticks select (step, tick))
        select new FleetRun(create, steps);

    /// <summary><see cref="FleetRuns"/>, shrunk by dropping halves, then single steps (leases are picked by age, so any subsequence is a valid run).</summary>
    public static Arbitrary<FleetRun> FleetRunArbitrary { get; } = Arb.From(FleetRuns, ShrinkFleetRun);

    private static IEnumerable<FleetRun> ShrinkFleetRun(FleetRun run)
    {
        var steps = run.Steps;
        if (steps.Length > 1)
        {
            yield return run with { Steps = steps[..(steps.Length / 2)] };
            yield return run with { Steps = steps[(steps.Length / 2)..] };
        }
        for (var i = steps.Length - 1; i >= 0; i--)
        {
            yield return run with { Steps = [.. steps[..i], .. steps[(i + 1)..]] };
        }
    }
}
