using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Levee.Load.Scenarios;

/// <summary>
/// Producers create executions in a queue of the run's own while workers claim them (long-poll,
/// up to <c>--batch</c> at a time) and act on each one, the way real workers would. A phase ends
/// when all of its executions are finished. Subclasses decide what a worker does with a claimed
/// execution and may add helper loops (e.g. approvers).
/// </summary>
/// <remarks>
/// Operations 0–2 and flow 0 are common to all such scenarios; subclasses append theirs.
/// </remarks>
internal abstract class QueueScenario<TPhase>(HttpClient client, LoadOptions options) : Scenario(client, options)
    where TPhase : QueuePhase
{
    protected const int Create = 0;
    protected const int Claim = 1;
    protected const int ClaimEmpty = 2;
    protected const int QueueToClaim = 0;

    /// <summary>How long a claim waits for work: long enough that idle workers do not spin.</summary>
    private const int ClaimWaitMs = 1000;

    private static readonly TimeSpan ErrorBackoff = TimeSpan.FromMilliseconds(100);

    private readonly Uri _executions = new(options.Url, "v1/executions");
    private readonly string _run = Guid.NewGuid().ToString("N");
    private int _phases;

    public override string Unit => "executions";

    protected override int Concurrency => Options.Producers + Options.Workers + Helpers;

    protected override string Setup =>
        $"{Options.Producers} producers, {Options.Workers} workers, batch {Options.Batch}"
        + (Helpers > 0 ? $", {Helpers} {HelperName}" : "")
        + (Options.Rate is { } rate ? $", offered {rate} creates/s" : ", unpaced");

    /// <summary>Worker loops (<see cref="WorkerLoopAsync"/>), each on its own connection: <c>--workers</c> by default.</summary>
    protected virtual int WorkerLoops => Options.Workers;

    /// <summary>One worker loop: claims and hands each execution to <see cref="HandleAsync"/> (<see cref="WorkAsync"/>) unless overridden.</summary>
    protected virtual Task WorkerLoopAsync(LoadWorker worker, int index, TPhase phase, Uri claimUri) =>
        WorkAsync(worker, phase, claimUri, ClaimBody($"load-w{index}"));

    /// <summary>Loops running <see cref="HelpAsync"/> besides the producers and workers.</summary>
    protected virtual int Helpers => 0;

    /// <summary>What the helpers are called in the report header.</summary>
    protected virtual string HelperName => "helpers";

    protected abstract TPhase NewPhase(string queue, int count, CancellationToken cancel);

    /// <summary>
    /// Acts on one claimed execution; calls <see cref="QueuePhase.Finish"/> when it is done with it
    /// for good. <c>claimedAt</c> is when the claim response that contained it was read.
    /// </summary>
    protected abstract Task HandleAsync(LoadWorker worker, TPhase phase, ClaimedExecution claim, long claimedAt);

    /// <summary>One helper loop; it should return once <see cref="QueuePhase.Stopping"/> is cancelled.</summary>
    protected virtual Task HelpAsync(LoadWorker helper, TPhase phase) => Task.CompletedTask;

    /// <summary>Figures of the phase beyond the common ones.</summary>
    protected virtual IEnumerable<Metric> PhaseMetrics(TPhase phase) => [];

    protected override async Task<PhaseRun> RunPhaseAsync(string label, int count, TimeSpan? duration, CancellationToken cancel)
    {
        var queue = NextQueue();
        var createBody = Encoding.UTF8.GetBytes($$"""{"task":"load","queue":"{{queue}}"}""");
        var claimUri = new Uri(Options.Url, $"v1/queues/{queue}/claim");
        var samples = new ErrorSamples();
        var producers = CreateWorkers(Options.Producers, count / Options.Producers + 1, samples);
        var workers = CreateWorkers(WorkerLoops, count / WorkerLoops + 1, samples);
        var helpers = CreateWorkers(Helpers, count / Math.Max(Helpers, 1) + 1, samples);
        LoadWorker[] all = [.. producers, .. workers, .. helpers];
        using var phase = NewPhase(queue, count, cancel);
        IEnumerable<Func<Task>> loops =
        [
            .. producers.Select(p => (Func<Task>)(() => ProduceAsync(p, phase, createBody))),
            .. workers.Select((w, i) => (Func<Task>)(() => WorkerLoopAsync(w, i, phase, claimUri))),
            .. helpers.Select(h => (Func<Task>)(() => HelpAsync(h, phase))),
        ];
        await RunLoopsAsync(label, count, null, all, loops);
        var creates = producers.Sum(p => p.Latency(Create).Count);
        var claims = workers.Sum(w => w.Latency(Claim).Count);
        return new PhaseRun(all, samples, phase.Elapsed)
        {
            Metrics =
            [
                new("creates/s", phase.Producing > TimeSpan.Zero ? creates / phase.Producing.TotalSeconds : 0),
                new("executions/claim", claims > 0 ? (double)phase.Claimed / claims : 0),
                new("claimed before 201", phase.QueueToClaim.Reversed, "F0"),
                .. PhaseMetrics(phase),
            ],
        };
    }

    /// <summary>A queue for the next phase: nothing the warm-up left behind can be claimed in the measured phase.</summary>
    protected string NextQueue() => $"load-{_run}-{++_phases}";

    /// <summary>Creates executions, on the <c>--rate</c> schedule when there is one; each 201 starts its queue→claim timer.</summary>
    private async Task ProduceAsync(LoadWorker worker, TPhase phase, byte[] body)
    {
        var interval = Options.Rate is { } rate ? (double)Stopwatch.Frequency / rate : 0;
        while (!phase.Stopping.IsCancellationRequested && phase.TryTakeCreate(out var number))
        {
            if (interval > 0)
            {
                // An absolute schedule shared by all producers: one that falls behind (a slow
                // create) is caught up by sending at once, so the offered rate holds on average.
                var wait = phase.StartedAt + (long)(number * interval) - Stopwatch.GetTimestamp();
                if (wait > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), phase.Stopping)
                        .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    if (phase.Stopping.IsCancellationRequested)
                    {
                        break;
                    }
                }
            }
            var (created, response) = await worker.SendAsync(Create, HttpMethod.Post, _executions, body, readBody: true);
            var createdAt = Stopwatch.GetTimestamp();
            if (!created)
            {
                phase.Finish(worker, succeeded: false);
            }
            else if (ResponseJson.ReadId(response) is not { } id)
            {
                worker.RecordError(Create, "no-id", "the create response has no string \"id\"");
                phase.Finish(worker, succeeded: false);
            }
            else
            {
                phase.QueueToClaim.Start(id, createdAt, worker.Flow(QueueToClaim));
            }
        }
        phase.ProducerDone();
    }

    /// <summary>
    /// Claims in a loop and handles each claimed execution in turn. A claim's latency includes its
    /// long-poll wait; claims that came back empty are filed apart, as <c>claim-empty</c>.
    /// </summary>
    protected async Task WorkAsync(LoadWorker worker, TPhase phase, Uri claimUri, byte[] claimBody)
    {
        while (!phase.Stopping.IsCancellationRequested)
        {
            var sentAt = Stopwatch.GetTimestamp();
            var (ok, response) = await worker.SendAsync(Claim, HttpMethod.Post, claimUri, claimBody, readBody: true, recordLatency: false);
            var claimedAt = Stopwatch.GetTimestamp();
            if (!ok)
            {
                // Do not spin on a silo that refuses claims.
                await Task.Delay(ErrorBackoff, phase.Stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }
            if (ResponseJson.ReadClaims(response) is not { } claims)
            {
                // Anything it claimed comes back to the queue when the lease expires.
                worker.RecordError(Claim, "bad-claims", Encoding.UTF8.GetString(response!));
                continue;
            }
            worker.Latency(claims.Count == 0 ? ClaimEmpty : Claim).Record(claimedAt - sentAt);
            phase.AddClaimed(claims.Count);
            foreach (var claim in claims)
            {
                await HandleAsync(worker, phase, claim, claimedAt);
            }
        }
    }

    /// <summary>Completes a claimed execution, which finishes it; returns when its 200 was read, or null when it failed.</summary>
    protected async Task<long?> CompleteAsync(LoadWorker worker, TPhase phase, int operation, ClaimedExecution claim)
    {
        var body = LeaseBody(claim.LeaseId, """ "output":{"ok":true}""");
        var completed = (await worker.SendAsync(operation, HttpMethod.Post, ExecutionUri(claim.Id, "complete"), body)).Ok;
        var completedAt = Stopwatch.GetTimestamp();
        phase.Finish(worker, completed);
        return completed ? completedAt : null;
    }

    /// <summary><c>v1/executions/{id}/{path}</c>.</summary>
    protected Uri ExecutionUri(string id, string path) => new(Options.Url, $"v1/executions/{Uri.EscapeDataString(id)}/{path}");

    /// <summary>A JSON body of the lease id followed by <paramref name="members"/> (more JSON members).</summary>
    protected static byte[] LeaseBody(string leaseId, string members) =>
        Encoding.UTF8.GetBytes($$"""{"leaseId":"{{JsonEncodedText.Encode(leaseId)}}",{{members.Trim()}}}""");

    /// <summary>A claim of up to <c>--batch</c> executions for <paramref name="workerId"/>, waiting up to 1 s for some.</summary>
    protected byte[] ClaimBody(string workerId) =>
        Encoding.UTF8.GetBytes($$"""{"workerId":"{{workerId}}","max":{{Options.Batch}},"waitMs":{{ClaimWaitMs}}}""");
}
