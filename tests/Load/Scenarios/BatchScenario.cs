using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;

namespace Levee.Load.Scenarios;

/// <summary>
/// A two-phase batch: create it in a queue of the run's own (Phase 1), then send all its items as NDJSON
/// in one request, generated while it is sent (Phase 2). Measures items/s over that request and the
/// time to seal: from its first body byte to the 200 that says <c>sealed</c>. With <c>--drain</c>, workers
/// then claim and complete every child while a reader follows the batch's event stream: drain
/// executions/s, complete→child_finished per child (from a complete's 200 to that child's event on the
/// batch stream) and last child → batch terminal (from the latest complete's 200 to the stream's
/// terminal event). With <c>--silo-pid</c>, the silo's resident memory is sampled throughout.
/// </summary>
internal sealed class BatchScenario(HttpClient client, LoadOptions options) : QueueScenario<BatchScenario.DrainPhase>(client, options)
{
    private const int Items = 3;
    private const int Complete = 4;
    private const int Get = 5;
    private const int Events = 6;
    private const int CompleteToFinished = 0;

    /// <summary>How long the drain waits for the event stream to catch up before starting anyway.</summary>
    private static readonly TimeSpan CatchUpWait = TimeSpan.FromSeconds(30);

    /// <summary>How long the stream may take after the drain to show the batch's terminal event.</summary>
    private static readonly TimeSpan TerminalWait = TimeSpan.FromSeconds(30);

    private readonly Uri _batches = new(options.Url, "v1/batches");

    public override string Name => "batch";
    public override string Unit => "items";
    protected override IReadOnlyList<string> Operations { get; } = ["create", "claim", "claim-empty", "items", "complete", "get", "events"];
    protected override IReadOnlyList<string> Flows { get; } = ["complete→child_finished"];

    /// <summary>The items go in one request; then the workers and the event reader run at once.</summary>
    protected override int Concurrency => Options.Drain ? Options.Workers + 1 : 1;

    protected override string Setup =>
        "one NDJSON request, "
        + (Options.Drain ? $"drained by {Options.Workers} workers, batch {Options.Batch}" : "not drained")
        + (Options.MaxConcurrency is { } cap ? $", maxConcurrency {cap}" : "")
        + (Options.SiloPid is { } pid ? $", silo pid {pid}" : "");

    protected override DrainPhase NewPhase(string queue, int count, CancellationToken cancel) => new(queue, count, cancel);

    protected override async Task<PhaseRun> RunPhaseAsync(string label, int count, TimeSpan? duration, CancellationToken cancel)
    {
        var queue = NextQueue();
        var samples = new ErrorSamples();
        // The shared client's 30 s timeout is too short for a million items and for an event stream
        // that lasts the whole drain.
        using var streams = LoadHttpClient.Create(Options, Timeout.InfiniteTimeSpan);
        var ingest = CreateWorkers(1, 1, samples, streams)[0];
        List<LoadWorker> workers = [ingest];
        List<Metric> metrics = [];
        TimeSpan? itemsTime = null;
        var started = Stopwatch.GetTimestamp();
        var rss = Options.SiloPid is { } pid ? new RssSampler(pid) : null;
        try
        {
            (var id, itemsTime) = await IngestAsync(ingest, label, queue, count, metrics, cancel);
            if (id is not null && Options.Drain && !cancel.IsCancellationRequested)
            {
                workers.AddRange(await DrainAsync(label, id, queue, count, streams, samples, metrics, cancel));
            }
        }
        finally
        {
            if (rss is not null)
            {
                await rss.DisposeAsync();
            }
        }
        return new PhaseRun(workers, samples, Stopwatch.GetElapsedTime(started))
        {
            Metrics = [.. metrics, .. rss?.Metrics() ?? []],
            Counted = [ingest],
            UnitsElapsed = itemsTime,
        };
    }

    /// <summary>
    /// Creates the batch and sends its items; returns its id once it is sealed (null otherwise) and how
    /// long the items request took. Counts the accepted items as the phase's units.
    /// </summary>
    private async Task<(string? Id, TimeSpan? ItemsTime)> IngestAsync(LoadWorker ingest, string label, string queue, int count,
        List<Metric> metrics, CancellationToken cancel)
    {
        var ceilings = Options.MaxConcurrency is { } cap ? $$""","ceilings":{"maxConcurrency":{{cap}}}""" : "";
        var createBody = Encoding.UTF8.GetBytes($$"""{"runCount":{{count}},"task":"load","queue":"{{queue}}"{{ceilings}}}""");
        var (created, createReply) = await ingest.SendAsync(Create, HttpMethod.Post, _batches, createBody, readBody: true);
        var id = created ? ResponseJson.ReadId(createReply) : null;
        if (id is null)
        {
            if (created)
            {
                ingest.RecordError(Create, "no-id", "the create response has no string \"id\"");
            }
            ingest.Complete(succeeded: false, count);
            return (null, null);
        }

        var content = new NdjsonItemsContent(count);
        (bool Ok, byte[]? Body) reply;
        long sentAt, answeredAt;
        await using (new ProgressReporter($"{label} items", Unit, count, null, () => content.Written))
        {
            sentAt = Stopwatch.GetTimestamp();
            reply = await ingest.SendContentAsync(Items, HttpMethod.Post, BatchUri(id, "/items"), content, readBody: true, cancel: cancel);
            answeredAt = Stopwatch.GetTimestamp();
        }
        var state = reply.Ok ? ResponseJson.ReadBatch(reply.Body) : null;
        var accepted = Math.Clamp(state?.ItemsAccepted ?? 0, 0, count);
        ingest.Complete(succeeded: true, accepted);
        ingest.Complete(succeeded: false, count - accepted);
        if (state is not { Sealed: true })
        {
            if (reply.Ok)
            {
                ingest.RecordError(Items, "not-sealed", Encoding.UTF8.GetString(reply.Body!));
            }
            return (null, reply.Ok ? Stopwatch.GetElapsedTime(sentAt, answeredAt) : null);
        }
        metrics.Add(new("time to seal (s)", Stopwatch.GetElapsedTime(content.FirstByteAt, answeredAt).TotalSeconds, "F3"));

        // The batch must say what its items reply said.
        var batch = await GetBatchAsync(ingest, id);
        if (batch is not null && (!batch.Sealed || batch.EnqueuedCount != count))
        {
            ingest.RecordError(Get, "not-sealed", $"{id}: sealed {batch.Sealed}, enqueuedCount {batch.EnqueuedCount} of {count}");
        }
        return (id, Stopwatch.GetElapsedTime(sentAt, answeredAt));
    }

    /// <summary>
    /// Follows the batch's event stream while the workers claim and complete every child, then checks
    /// that the batch completed. Returns the loops it ran (for their requests, errors and latencies).
    /// </summary>
    private async Task<LoadWorker[]> DrainAsync(string label, string id, string queue, int count, HttpClient streams, ErrorSamples samples,
        List<Metric> metrics, CancellationToken cancel)
    {
        var drainers = CreateWorkers(Options.Workers, count / Options.Workers + 1, samples);
        var watcher = CreateWorkers(1, 1, samples, streams)[0];
        using var phase = NewPhase(queue, count, cancel);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var watch = Task.Run(() => WatchAsync(watcher, phase, id, watching.Token), CancellationToken.None);
        // Drain once the stream has replayed the batch up to its seal, so that every child_finished is
        // read as it happens rather than replayed late.
        await Task.WhenAny(phase.CaughtUp, Task.Delay(CatchUpWait, cancel));
        var drainStartedAt = Stopwatch.GetTimestamp();
        var claimUri = new Uri(Options.Url, $"v1/queues/{queue}/claim");
        await RunLoopsAsync($"{label} drain", count, null, drainers,
            drainers.Select((w, i) => (Func<Task>)(() => WorkAsync(w, phase, claimUri, ClaimBody($"load-w{i}")))), "executions");
        watching.CancelAfter(TerminalWait);
        await watch;

        var drained = drainers.Sum(w => w.Completed - w.Failed);
        // From the start of the drain (not of the phase, which also waited for the stream) to the last child finished.
        var drainTime = phase.Elapsed - Stopwatch.GetElapsedTime(phase.StartedAt, drainStartedAt);
        metrics.Add(new("drain executions/s", drainTime > TimeSpan.Zero ? drained / drainTime.TotalSeconds : 0));
        if (phase.TerminalAt != 0 && phase.LastCompletedAt != 0)
        {
            // Negative when the stream showed the terminal event before the last complete's 200 was read.
            metrics.Add(new("last child→terminal (ms)", (phase.TerminalAt - phase.LastCompletedAt) * 1000.0 / Stopwatch.Frequency));
        }
        metrics.Add(new("child_finished before 200", phase.CompleteToFinished.Reversed, "F0"));
        if (cancel.IsCancellationRequested)
        {
            return [.. drainers, watcher];
        }
        if (phase.Terminal is null)
        {
            watcher.RecordError(Events, "no-terminal", $"{id}: no terminal event within {TerminalWait.TotalSeconds:F0} s of the drain");
        }
        var batch = await GetBatchAsync(watcher, id);
        if (phase.Terminal is not (null or "completed") || batch is not null && (batch.Status != "completed" || batch.Succeeded != count))
        {
            watcher.RecordError(Get, "not-completed",
                $"{id}: terminal event {phase.Terminal ?? "none"}, status {batch?.Status}, {batch?.Succeeded} of {count} succeeded");
        }
        return [.. drainers, watcher];
    }

    /// <summary>Completes a child; its 200 starts the child's complete→child_finished timer.</summary>
    protected override async Task HandleAsync(LoadWorker worker, DrainPhase phase, ClaimedExecution claim, long claimedAt)
    {
        if (await CompleteAsync(worker, phase, Complete, claim) is { } completedAt)
        {
            phase.CompleteToFinished.Start(claim.Id, completedAt, worker.Flow(CompleteToFinished));
            phase.ChildCompleted(completedAt);
        }
    }

    /// <summary>
    /// Reads the batch's event stream (from its first event) until it ends: the <c>sealed</c> event marks
    /// the stream caught up; each <c>child_finished</c> stops that child's timer when it is read; the
    /// terminal event's arrival is kept.
    /// </summary>
    private async Task WatchAsync(LoadWorker watcher, DrainPhase phase, string id, CancellationToken cancel)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, BatchUri(id, "/events"));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            using var response = await watcher.OpenAsync(Events, request, cancel);
            if (response is null)
            {
                return;
            }
            await using var stream = await response.Content.ReadAsStreamAsync(cancel);
            var events = SseParser.Create(stream, (type, data) => type == "child_finished" ? ResponseJson.ReadEventIndex(data) : null);
            await foreach (var e in events.EnumerateAsync(cancel))
            {
                var readAt = Stopwatch.GetTimestamp();
                switch (e.EventType)
                {
                    case "sealed":
                        phase.StreamCaughtUp();
                        break;
                    case "child_finished" when e.Data is { } index:
                        phase.CompleteToFinished.Stop($"{id}.{index}", readAt, watcher.Flow(CompleteToFinished));
                        break;
                    case "child_finished":
                        watcher.RecordError(Events, "no-index", "a child_finished event without data.index");
                        break;
                    case "completed" or "partial_failed" or "failed" or "aborted":
                        phase.Ended(e.EventType, readAt);
                        break;
                    case "end":
                        return;
                }
            }
            watcher.RecordError(Events, "stream-ended", $"{id}: the event stream ended without 'end'");
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // Interrupted, or no terminal event in time (the drain reports it).
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            watcher.RecordError(Events, "stream-error", ex.Message);
        }
        finally
        {
            // Do not keep the drain waiting for a stream that failed.
            phase.StreamCaughtUp();
        }
    }

    private async Task<BatchState?> GetBatchAsync(LoadWorker worker, string id)
    {
        var (ok, body) = await worker.SendAsync(Get, HttpMethod.Get, BatchUri(id, ""), null, readBody: true);
        if (!ok)
        {
            return null;
        }
        var batch = ResponseJson.ReadBatch(body);
        if (batch is null)
        {
            worker.RecordError(Get, "bad-batch", Encoding.UTF8.GetString(body!));
        }
        return batch;
    }

    /// <summary><c>v1/batches/{id}{path}</c>.</summary>
    private Uri BatchUri(string id, string path) => new(Options.Url, $"v1/batches/{Uri.EscapeDataString(id)}{path}");

    /// <summary>A drain: the children's queue, plus what the workers and the event reader observe of the batch.</summary>
    internal sealed class DrainPhase(string queue, int count, CancellationToken cancel) : QueuePhase(queue, count, cancel)
    {
        private readonly TaskCompletionSource _caughtUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _lastCompletedAt;

        /// <summary>From a child's complete 200 to reading its child_finished on the batch's stream.</summary>
        public FlowTimer CompleteToFinished { get; } = new();

        /// <summary>Done when the stream has replayed the batch up to its seal (or failed).</summary>
        public Task CaughtUp => _caughtUp.Task;

        /// <summary>The latest complete 200 read (a <see cref="Stopwatch"/> timestamp; 0 before).</summary>
        public long LastCompletedAt => Interlocked.Read(ref _lastCompletedAt);

        /// <summary>The batch's terminal event (<c>completed</c>, …), once read; written by the reader, read after it ended.</summary>
        public string? Terminal { get; private set; }

        /// <summary>When the terminal event was read (0 before).</summary>
        public long TerminalAt { get; private set; }

        public void StreamCaughtUp() => _caughtUp.TrySetResult();

        public void ChildCompleted(long at) => RaiseTo(ref _lastCompletedAt, at);

        public void Ended(string terminal, long at) => (Terminal, TerminalAt) = (terminal, at);
    }
}
