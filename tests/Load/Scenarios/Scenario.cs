using System.Diagnostics;

namespace Levee.Load.Scenarios;

/// <summary>
/// A scenario runs in two phases: a warm-up that is thrown away, then the measured phase, whose
/// per-loop recorders are merged into one <see cref="ScenarioResult"/>. How a phase drives the
/// silo is up to the subclass: <see cref="ClosedLoopScenario"/> repeats a unit of work from
/// `concurrency` loops, <see cref="QueueScenario{TPhase}"/> has producers and workers meet through a queue.
/// </summary>
internal abstract class Scenario(HttpClient client, LoadOptions options)
{
    protected HttpClient Client => client;

    protected LoadOptions Options => options;

    public abstract string Name { get; }

    /// <summary>What one unit is called in the report ("executions", "requests").</summary>
    public abstract string Unit { get; }

    /// <summary>Request types, indexed by the operation number passed to <see cref="LoadWorker.SendAsync"/>.</summary>
    protected abstract IReadOnlyList<string> Operations { get; }

    /// <summary>Latencies between events of different requests, indexed like <see cref="LoadWorker.Flow"/>.</summary>
    protected virtual IReadOnlyList<string> Flows => [];

    /// <summary>Client loops running at once.</summary>
    protected virtual int Concurrency => options.Concurrency;

    /// <summary>How the load is shaped, for the report header.</summary>
    protected virtual string Setup => $"concurrency {Concurrency}";

    /// <summary>Runs one phase of <paramref name="count"/> units (or for <paramref name="duration"/>).</summary>
    protected abstract Task<PhaseRun> RunPhaseAsync(string label, int count, TimeSpan? duration, CancellationToken cancel);

    public async Task<ScenarioResult> RunAsync(CancellationToken cancel)
    {
        if (options.Warmup > 0)
        {
            await RunPhaseAsync($"{Name} warmup", options.Warmup, null, cancel);
        }
        var run = await RunPhaseAsync(Name, options.Count, options.Duration, cancel);
        var (workers, samples, elapsed) = run;
        var counted = run.Counted ?? workers;
        return new ScenarioResult(
            Name, Unit, Concurrency, options.Warmup, elapsed,
            Units: counted.Sum(w => w.Completed),
            FailedUnits: counted.Sum(w => w.Failed),
            Requests: workers.Sum(w => w.Requests),
            Errors: workers.Sum(w => w.Errors.Total),
            Operations: Summarize(Operations, i => workers.Select(w => w.Latency(i))),
            ErrorCounts: ErrorTally.Merge(workers.Select(w => w.Errors)),
            ErrorSamples: samples.ToList(),
            Interrupted: cancel.IsCancellationRequested)
        {
            Setup = Setup,
            Flows = Summarize(Flows, i => workers.Select(w => w.Flow(i))),
            Metrics = run.Metrics,
            UnitsElapsed = run.UnitsElapsed,
        };
    }

    /// <summary>
    /// Client loops that record the scenario's operations and flows, sharing one set of error samples;
    /// on the run's shared client unless given another (<paramref name="on"/>).
    /// </summary>
    protected LoadWorker[] CreateWorkers(int count, int expectedPerOperation, ErrorSamples samples, HttpClient? on = null) =>
        [.. Enumerable.Range(0, count).Select(_ => new LoadWorker(on ?? client, Operations, expectedPerOperation, samples, Flows))];

    /// <summary>
    /// Runs the loops of a phase on the thread pool with a progress line counting the workers'
    /// completed units (called <paramref name="unit"/>, by default the scenario's); returns the time until the last loop ended.
    /// </summary>
    protected async Task<TimeSpan> RunLoopsAsync(string label, long? total, TimeSpan? duration, IReadOnlyList<LoadWorker> workers,
        IEnumerable<Func<Task>> loops, string? unit = null)
    {
        var started = Stopwatch.GetTimestamp();
        await using (new ProgressReporter(label, unit ?? Unit, total, duration, () => workers.Sum(w => w.Completed)))
        {
            // Task.Run so each loop starts on the thread pool instead of running its first
            // request synchronously on this thread before the next loop is even created.
            await Task.WhenAll(loops.Select(loop => Task.Run(loop, CancellationToken.None)));
        }
        return Stopwatch.GetElapsedTime(started);
    }

    private static List<OperationResult> Summarize(IReadOnlyList<string> names, Func<int, IEnumerable<LatencyRecorder>> recorders) =>
        [.. names.Select((name, i) => new OperationResult(name, LatencyRecorder.Summarize(recorders(i))))];

    /// <summary>What one phase produced: its loops (with their recorders), error samples and duration.</summary>
    protected sealed record PhaseRun(IReadOnlyList<LoadWorker> Workers, ErrorSamples Samples, TimeSpan Elapsed)
    {
        public IReadOnlyList<Metric> Metrics { get; init; } = [];

        /// <summary>
        /// The loops whose finished units the result counts, when not all of them: e.g. the batch's items
        /// are counted by the loop that sent them, not by the workers that drain its children.
        /// </summary>
        public IReadOnlyList<LoadWorker>? Counted { get; init; }

        /// <summary>The time units/s is over, when not the whole phase (see <see cref="ScenarioResult.UnitsElapsed"/>).</summary>
        public TimeSpan? UnitsElapsed { get; init; }
    }
}
