using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;

namespace Levee.Load.Scenarios;

/// <summary>
/// Event-stream latency: one execution, <c>--subscribers</c> SSE connections to its events, and one
/// writer appending output chunks at <c>--rate</c> per second until <c>--count</c> chunks were appended.
/// Measures, per chunk and subscriber, append→subscriber: from just before the append request is sent
/// to that subscriber having read the chunk's event (matched by the SSE <c>id:</c>, the event's seq,
/// against the append's <c>{firstSeq,lastSeq}</c>); the append's own latency; and the events/s
/// delivered to all subscribers together. The execution is then completed, which ends the streams.
/// </summary>
internal sealed class SseScenario(HttpClient client, LoadOptions options) : Scenario(client, options)
{
    private const int Create = 0;
    private const int Events = 1;
    private const int Append = 2;
    private const int Complete = 3;
    private const int AppendToSubscriber = 0;

    /// <summary>How long the writer waits for every subscriber to have read <c>created</c> before starting anyway.</summary>
    private static readonly TimeSpan ReadyWait = TimeSpan.FromSeconds(30);

    /// <summary>How long the streams may take after the execution completed to send <c>end</c>.</summary>
    private static readonly TimeSpan EndWait = TimeSpan.FromSeconds(30);

    private static readonly byte[] CreateBody = """{"task":"load","input":{"n":1}}"""u8.ToArray();
    private static readonly byte[] SucceededBody = """{"status":"succeeded","output":{"ok":true}}"""u8.ToArray();

    private readonly Uri _executions = new(options.Url, "v1/executions");

    public override string Name => "sse";
    public override string Unit => "chunks";
    protected override IReadOnlyList<string> Operations { get; } = ["create", "events", "append", "complete"];
    protected override IReadOnlyList<string> Flows { get; } = ["append→subscriber"];

    /// <summary>The subscribers and the writer.</summary>
    protected override int Concurrency => Options.Subscribers + 1;

    protected override string Setup => $"{Options.Subscribers} subscribers, 1 writer, offered {Rate} chunks/s";

    private int Rate => Options.Rate ?? LoadOptions.DefaultSseRate;

    protected override async Task<PhaseRun> RunPhaseAsync(string label, int count, TimeSpan? duration, CancellationToken cancel)
    {
        var samples = new ErrorSamples();
        var started = Stopwatch.GetTimestamp();
        var writer = CreateWorkers(1, count, samples)[0];
        // The shared client's 30 s timeout would cut the streams, which last the whole phase.
        using var streams = LoadHttpClient.Create(Options, Timeout.InfiniteTimeSpan);
        var subscribers = CreateWorkers(Options.Subscribers, count, samples, streams).Select(w => new Subscriber(w, count)).ToArray();
        LoadWorker[] all = [writer, .. subscribers.Select(s => s.Worker)];

        var (created, createReply) = await writer.SendAsync(Create, HttpMethod.Post, _executions, CreateBody, readBody: true);
        var id = created ? ResponseJson.ReadId(createReply) : null;
        if (id is null)
        {
            if (created)
            {
                writer.RecordError(Create, "no-id", "the create response has no string \"id\"");
            }
            writer.Complete(succeeded: false, count);
            return new PhaseRun(all, samples, Stopwatch.GetElapsedTime(started)) { Counted = [writer] };
        }

        var phase = new Phase(Options.Subscribers, count);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var reads = subscribers.Select(s => Task.Run(() => SubscribeAsync(s, phase, id, reading.Token), CancellationToken.None)).ToArray();
        // Append only once every stream is live, so each chunk is read as it happens, not replayed.
        await Task.WhenAny(phase.Ready, Task.Delay(ReadyWait, cancel));
        if (!phase.Ready.IsCompleted && !cancel.IsCancellationRequested)
        {
            writer.RecordError(Events, "not-ready",
                $"{phase.Waiting} of {Options.Subscribers} subscribers had not read 'created' within {ReadyWait.TotalSeconds:F0} s");
        }

        var writeStartedAt = Stopwatch.GetTimestamp();
        await RunLoopsAsync(label, count, null, [writer], [() => WriteAsync(writer, phase, ExecutionUri(id, "output"), count, cancel)]);
        var writeTime = Stopwatch.GetElapsedTime(writeStartedAt, phase.LastAnsweredAt is > 0 and var last ? last : Stopwatch.GetTimestamp());

        // Completing the execution ends every stream (its terminal event, then 'end').
        await writer.SendAsync(Complete, HttpMethod.Post, ExecutionUri(id, "status"), SucceededBody);
        var allRead = Task.WhenAll(reads);
        if (await Task.WhenAny(allRead, Task.Delay(EndWait, cancel)) != allRead)
        {
            await reading.CancelAsync();
        }
        await allRead;
        if (!cancel.IsCancellationRequested)
        {
            foreach (var s in subscribers.Where(s => !s.Ended))
            {
                s.Worker.RecordError(Events, "no-end", $"{id}: the stream did not end within {EndWait.TotalSeconds:F0} s of the completion");
            }
        }

        var (delivered, missed, beforeReply, lastReadAt) = Match(phase, subscribers, cancel.IsCancellationRequested);
        var deliveryTime = lastReadAt > writeStartedAt ? Stopwatch.GetElapsedTime(writeStartedAt, lastReadAt) : TimeSpan.Zero;
        return new PhaseRun(all, samples, Stopwatch.GetElapsedTime(started))
        {
            Counted = [writer],
            UnitsElapsed = writeTime,
            Metrics =
            [
                new("events/s delivered", deliveryTime > TimeSpan.Zero ? delivered / deliveryTime.TotalSeconds : 0),
                new("events delivered", delivered, "F0"),
                new("events missed", missed, "F0"),
                new("read before 202", beforeReply, "F0"),
            ],
        };
    }

    /// <summary>
    /// Appends one chunk at a time on an absolute schedule of <see cref="Rate"/> per second (one that fell
    /// behind, e.g. after a slow append, is sent at once), keeping when each chunk's request was sent and
    /// answered under the seqs its 202 names.
    /// </summary>
    private async Task WriteAsync(LoadWorker writer, Phase phase, Uri outputUri, int count, CancellationToken cancel)
    {
        var interval = (double)Stopwatch.Frequency / Rate;
        var startedAt = Stopwatch.GetTimestamp();
        for (var i = 0; i < count && !cancel.IsCancellationRequested; i++)
        {
            var wait = startedAt + (long)(i * interval) - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), cancel)
                    .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (cancel.IsCancellationRequested)
                {
                    break;
                }
            }
            var body = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $$"""{"chunks":[{"n":{{i}}}]}"""));
            var sentAt = Stopwatch.GetTimestamp();
            var (ok, reply) = await writer.SendAsync(Append, HttpMethod.Post, outputUri, body, readBody: true);
            var answeredAt = Stopwatch.GetTimestamp();
            if (!ok)
            {
                writer.Complete(succeeded: false);
                continue;
            }
            if (ResponseJson.ReadOutputRange(reply) is not { } range || range.Last < range.First)
            {
                writer.RecordError(Append, "no-range", Encoding.UTF8.GetString(reply!));
                writer.Complete(succeeded: false);
                continue;
            }
            for (var seq = range.First; seq <= range.Last; seq++)
            {
                phase.Appended[seq] = (sentAt, answeredAt);
            }
            phase.LastAnsweredAt = answeredAt;
            writer.Complete(succeeded: true);
        }
    }

    /// <summary>
    /// Reads the execution's event stream from its start until <c>end</c>: <c>created</c> marks the
    /// subscriber ready; each <c>output</c> event's read time is kept under its seq.
    /// </summary>
    private async Task SubscribeAsync(Subscriber subscriber, Phase phase, string id, CancellationToken cancel)
    {
        var ready = false;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, ExecutionUri(id, "events"));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            using var response = await subscriber.Worker.OpenAsync(Events, request, cancel);
            if (response is null)
            {
                return;
            }
            await using var stream = await response.Content.ReadAsStreamAsync(cancel);
            // Only the type and the id are needed: the data is not parsed.
            var events = SseParser.Create(stream, static (_, _) => false);
            await foreach (var e in events.EnumerateAsync(cancel))
            {
                var readAt = Stopwatch.GetTimestamp();
                switch (e.EventType)
                {
                    case "output" when long.TryParse(e.EventId, NumberStyles.None, CultureInfo.InvariantCulture, out var seq):
                        subscriber.Reads.TryAdd(seq, readAt);
                        break;
                    case "output":
                        subscriber.Worker.RecordError(Events, "no-id", $"an output event with id '{e.EventId}'");
                        break;
                    case "created" when !ready:
                        ready = true;
                        phase.SubscriberReady();
                        break;
                    case "end":
                        subscriber.Ended = true;
                        return;
                }
            }
            subscriber.Worker.RecordError(Events, "stream-ended", $"{id}: the event stream ended without 'end'");
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // Interrupted, or no end in time (reported by the phase).
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            subscriber.Worker.RecordError(Events, "stream-error", ex.Message);
        }
        finally
        {
            if (!ready)
            {
                // Do not keep the writer waiting for a stream that failed.
                phase.SubscriberReady();
            }
        }
    }

    /// <summary>
    /// Pairs every appended seq with each subscriber's read of it, recording append→subscriber into that
    /// subscriber's recorder; a subscriber that missed events gets one error saying how many.
    /// </summary>
    private static (long Delivered, long Missed, long BeforeReply, long LastReadAt) Match(Phase phase, Subscriber[] subscribers, bool interrupted)
    {
        long delivered = 0, missed = 0, beforeReply = 0, lastReadAt = 0;
        foreach (var subscriber in subscribers)
        {
            var recorder = subscriber.Worker.Flow(AppendToSubscriber);
            long missing = 0;
            foreach (var (seq, (sentAt, answeredAt)) in phase.Appended)
            {
                if (!subscriber.Reads.TryGetValue(seq, out var readAt))
                {
                    missing++;
                    continue;
                }
                recorder.Record(Math.Max(0, readAt - sentAt));
                delivered++;
                beforeReply += readAt < answeredAt ? 1 : 0;
                lastReadAt = Math.Max(lastReadAt, readAt);
            }
            missed += missing;
            if (missing > 0 && !interrupted)
            {
                subscriber.Worker.RecordError(Events, "missed-events", $"{missing} of {phase.Appended.Count} appended chunks never read");
            }
        }
        return (delivered, missed, beforeReply, lastReadAt);
    }

    /// <summary><c>v1/executions/{id}/{path}</c>.</summary>
    private Uri ExecutionUri(string id, string path) => new(Options.Url, $"v1/executions/{Uri.EscapeDataString(id)}/{path}");

    /// <summary>One subscriber: its loop's recorders, and when it read each output event (written only by its reader).</summary>
    private sealed class Subscriber(LoadWorker worker, int count)
    {
        public LoadWorker Worker { get; } = worker;

        /// <summary>Seq → when its event was read (a <see cref="Stopwatch"/> timestamp).</summary>
        public Dictionary<long, long> Reads { get; } = new(count);

        /// <summary>Whether the stream ended with <c>end</c>.</summary>
        public bool Ended { get; set; }
    }

    /// <summary>What the writer and the subscribers share: readiness, and the appended seqs (written only by the writer).</summary>
    private sealed class Phase(int subscribers, int count)
    {
        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _waiting = subscribers;

        /// <summary>Done when every subscriber has read <c>created</c> (or failed).</summary>
        public Task Ready => _ready.Task;

        /// <summary>Subscribers that have not read <c>created</c> yet.</summary>
        public int Waiting => Volatile.Read(ref _waiting);

        /// <summary>Seq → when the append that made it was sent, and when its 202 was read.</summary>
        public Dictionary<long, (long SentAt, long AnsweredAt)> Appended { get; } = new(count);

        /// <summary>When the last successful append's 202 was read (0 before).</summary>
        public long LastAnsweredAt { get; set; }

        public void SubscriberReady()
        {
            if (Interlocked.Decrement(ref _waiting) == 0)
            {
                _ready.TrySetResult();
            }
        }
    }
}
