using System.Diagnostics;

namespace Levee.Load.Scenarios;

/// <summary>
/// Runs a unit of work (one execution's lifecycle, one no-op request) from `concurrency` loops,
/// each starting its next unit as soon as the previous one finished.
/// </summary>
internal abstract class ClosedLoopScenario(HttpClient client, LoadOptions options) : Scenario(client, options)
{
    /// <summary>Runs one unit; returns whether every request in it succeeded.</summary>
    protected abstract Task<bool> RunOnceAsync(LoadWorker worker);

    protected override async Task<PhaseRun> RunPhaseAsync(string label, int count, TimeSpan? duration, CancellationToken cancel)
    {
        var samples = new ErrorSamples();
        // The estimate only sizes the latency arrays; a duration run grows them as needed.
        var workers = CreateWorkers(Options.Concurrency, count / Options.Concurrency + 1, samples);
        var phase = new Phase(count, duration is { } d ? Stopwatch.GetTimestamp() + (long)(d.TotalSeconds * Stopwatch.Frequency) : null);
        var elapsed = await RunLoopsAsync(label, duration is null ? count : null, duration, workers,
            workers.Select(w => (Func<Task>)(() => WorkAsync(w, phase, cancel))));
        return new PhaseRun(workers, samples, elapsed);
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
