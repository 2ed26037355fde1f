using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Levee.Streams;

/// <summary>
/// Follows a grain's event log from any sequence number: replays it from the database, then
/// stays live on the grain's notifications. The log is the truth and notifications only say
/// "read again", so a follower never skips or repeats an event: it registers before its first
/// read, reads from the last sequence number it handed out, and re-reads at least every
/// <see cref="WatchRenewal.ReRead"/> whatever it heard. The same class serves the REST
/// gateway's server-sent events and in-cluster .NET services.
/// </summary>
/// <example>
/// <code>
/// var follower = new EventFollower(grainFactory, hub);
/// await foreach (var e in follower.EventsAsync(grain.GetGrainId(), fromSeq: 1, ct))
/// {
///     Console.WriteLine($"{e.Seq} {e.Type}");
/// }
/// </code>
/// </example>
public sealed class EventFollower(IGrainFactory grains, GrainWatchHub hub)
{
    /// <summary>
    /// Reads in flight, shared by followers of one stream that ask for the same page after the
    /// same notification: fifty subscribers woken by one commit make one read, not fifty. A
    /// follower joins only a read keyed by the watch (the shared per-grain state, so a watch
    /// re-created after all its readers left never joins an older read) and the version it saw;
    /// that read was started after the version's notification arrived, so the shared page holds
    /// every event the follower was told of.
    /// </summary>
    private readonly ConcurrentDictionary<(object Watch, long From, int MaxBytes, long Version), Task<EventPage>> _reads = new();

    /// <summary>
    /// Pages of events from <paramref name="fromSeq"/>, each at most <paramref name="maxBytes"/>
    /// of payload (memory per follower stays bounded by bytes, not by events). When nothing came
    /// for <paramref name="idle"/>, an empty page is yielded (a server-sent-events keep-alive;
    /// <see cref="Timeout.InfiniteTimeSpan"/> for none).
    /// Never ends on its own: stop enumerating, or cancel.
    /// </summary>
    public async IAsyncEnumerable<EventPage> PagesAsync(GrainId stream, long fromSeq, TimeSpan idle, int maxBytes = EventPage.MaxBytes,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var watch = hub.Watch(stream);
        await watch.Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        var reader = grains.Grain<IEventLogGrain>(IEventLogGrain.Key);
        var next = Math.Max(1, fromSeq);
        var keepAlive = idle > TimeSpan.Zero ? idle : TimeSpan.MaxValue;
        var quietSince = Stopwatch.GetTimestamp();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var seen = watch.Version;
            var page = await ReadSharedAsync(reader, watch, stream, next, maxBytes, seen).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (page.Events.Count > 0)
            {
                next = page.Events[^1].Seq + 1;
                yield return page;
                quietSince = Stopwatch.GetTimestamp();
                if (page.More)
                {
                    continue;
                }
            }
            var wait = keepAlive - Stopwatch.GetElapsedTime(quietSince);
            if (wait <= TimeSpan.Zero)
            {
                yield return new EventPage([], false);
                quietSince = Stopwatch.GetTimestamp();
                continue;
            }
            await watch.WaitAsync(seen, wait < WatchRenewal.ReRead ? wait : WatchRenewal.ReRead, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<EventPage> ReadSharedAsync(IEventLogGrain reader, WatchSubscription watch, GrainId stream, long from, int maxBytes, long version)
    {
        var key = (watch.State, from, maxBytes, version);
        var mine = new TaskCompletionSource<EventPage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var shared = _reads.GetOrAdd(key, mine.Task);
        if (shared != mine.Task)
        {
            return shared;
        }
        _ = ReadAsync();
        return mine.Task;

        async Task ReadAsync()
        {
            try
            {
                mine.SetResult(await reader.ReadAsync(stream, from, EventPage.MaxEvents, maxBytes).ConfigureAwait(false));
            }
            catch (Exception ex)
            {
                mine.SetException(ex);
            }
            finally
            {
                // Once answered the read is no longer shared: a later follower reads anew.
                _reads.TryRemove(KeyValuePair.Create(key, mine.Task));
            }
        }
    }

    /// <summary>Every event from <paramref name="fromSeq"/>, replayed and then live.</summary>
    public async IAsyncEnumerable<LogEvent> EventsAsync(GrainId stream, long fromSeq, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var page in PagesAsync(stream, fromSeq, Timeout.InfiniteTimeSpan, EventPage.MaxBytes, cancellationToken).ConfigureAwait(false))
        {
            foreach (var e in page.Events)
            {
                yield return e;
            }
        }
    }
}
