using System.Diagnostics;

namespace Levee.Load.Scenarios;

/// <summary>
/// Runs a unit of work (one execution's lifecycle, one no-op request) from `concurrency` workers:
/// first a warm-up phase that is thrown away, then the measured phase.
/// </summary>
internal abstract class Scenario(HttpClient client, LoadOptions options)
{
    protected HttpClient Client => client;

    public abstract string Name { get; }

    /// <summary>What one unit is called in the report ("executions", "requests").</summary>
    public abstract string Unit { get; }

    /// <summary>Request types, indexed by the operation number passed to <see cref="LoadWorker.SendAsync"/>.</summary>
    protected abstract IReadOnlyList<string> Operations { get; }

    /// <summary>Runs one unit; returns whether every request in it succeeded.</summary>
    protected abstract Task<bool> RunOnceAsync(LoadWorker worker);

    public async Task<ScenarioResult> RunAsync(CancellationToken cancel)
    {
        if (options.Warmup > 0)
        {
            await RunPhaseAsync($"{Name} warmup", options.Warmup, null, cancel);
        }
        var (workers, samples, elapsed) = await RunPhaseAsync(Name, options.Count, options.Duration, cancel);
        return new ScenarioResult(
            Name, Unit, options.Concurrency, options.Warmup, elapsed,
            Units: workers.Sum(w => w.Completed),
            FailedUnits: workers.Sum(w => w.Failed),
            Requests: workers.Sum(w => w.Requests),
            Errors: workers.Sum(w => w.Errors.Total),
            Operations: [.. Operations.Select((name, i) => new OperationResult(name, LatencyRecorder.Summarize(workers.Select(w => w.Latency(i)))))],
            ErrorCounts: ErrorTally.Merge(workers.Select(w => w.Errors)),
            ErrorSamples: samples.ToList(),
            Interrupted: cancel.IsCancellationRequested);
    }

    private async Task<(LoadWorker[] Workers, ErrorSamples Samples, TimeSpan Elapsed)> RunPhaseAsync(
        string label, int count, TimeSpan? duration, CancellationToken cancel)
    {
        var samples = new ErrorSamples();
        // The estimate only sizes the latency arrays; a duration run grows them as needed.
        var perWorker = count / options.Concurrency + 1;
        var workers = Enumerable.Range(0, options.Concurrency)
            .Select(_ => new LoadWorker(client, Operations, perWorker, samples)).ToArray();
        var phase = new Phase(count, duration is { } d ? Stopwatch.GetTimestamp() + (long)(d.TotalSeconds * Stopwatch.Frequency) : null);
        var started = Stopwatch.GetTimestamp();
        await using (new ProgressReporter(label, Unit, duration is null ? count : null, duration, () => workers.Sum(w => w.Completed)))
        {
            // Task.Run so each worker starts on the thread pool instead of running its first
            // request synchronously on this thread before the next worker is even created.
            await Task.WhenAll(workers.Select(w => Task.Run(() => WorkAsync(w, phase, cancel), CancellationToken.None)));
        }
        return (workers, samples, Stopwatch.GetElapsedTime(started));
    }

    private async Task WorkAsync(LoadWorker worker, Phase phase, CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested && phase.TryClaim())
        {
            worker.Complete(await RunOnceAsync(worker));
        }
    }

    /// <summary>Hands out units until the count is reached or the deadline passes.</summary>
    private sealed class Phase(int count, long? deadline)
    {
        private long _claimed;

        // One interlocked increment per unit: the only shared write on the hot path.
        public bool TryClaim() => deadline is { } end ? Stopwatch.GetTimestamp() < end : Interlocked.Increment(ref _claimed) <= count;
    }
}
