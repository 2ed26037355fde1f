using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Levee.Errors;
using Levee.Gateway.Endpoints;
using Levee.Gateway.Health;
using Levee.Gateway.Json;
using Levee.Gateway.Problems;
using Levee.Gateway.Telemetry;
using Levee.Gateway.RateLimits;
using Levee.Streams;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Levee.Gateway.Streams;

/// <summary>
/// Serves a grain's event log: as server-sent events (replay, then live; <c>id:</c> = seq;
/// resume with <c>Last-Event-ID</c> or <c>?from=</c>; keep-alive comments; <c>event: end</c>
/// after the terminal event) or, with <c>Accept: application/json</c>, as a page. Events come
/// through <see cref="EventFollower"/> in pages bounded by bytes, and each page is written
/// straight into the response pipe and flushed before the next is read: a client that stops
/// reading stops the reading (back-pressure from the socket), so what it costs here is one page
/// and Kestrel's response buffer, however much is appended. On a drain (SIGTERM) a live stream
/// ends with a <c>retry:</c> hint and no <c>event: end</c>, so its client reconnects with
/// <c>Last-Event-ID</c>, to another silo behind the load balancer.
/// </summary>
public sealed class EventStreamer(IGrainFactory grains, EventFollower follower, ConnectionLimits limits, IOptions<GatewayOptions> options,
    ShutdownDrain drain)
{
    private const int DefaultPageSize = 100;
    internal const int MaxPageSize = 1000;
    private static readonly byte[] KeepAlive = ": keep-alive\n\n"u8.ToArray();
    private static readonly byte[] End = "event: end\ndata: {}\n\n"u8.ToArray();
    private static readonly byte[] Drained = Encoding.ASCII.GetBytes($"retry: {ShutdownDrain.RetryMs}\n\n");

    /// <summary>
    /// Validates the resume position and serves a JSON page (<c>Ok</c>) or the stream, which is
    /// written to the response here (<c>EmptyHttpResult</c>: nothing is left to write).
    /// </summary>
    public async Task<Results<Ok<EventPageView>, EmptyHttpResult, ProblemHttpResult>> ServeAsync(HttpContext http, EventStreamQuery query, GrainId stream,
        long lastSeq, bool isTerminal, Func<string, bool> isTerminalEvent)
    {
        var (from, error) = ResolveStart(query, lastSeq);
        if (error is not null)
        {
            return error;
        }
        if (WantsJson(http.Request))
        {
            var (limit, limitError) = QueryInt.Parse(query.Limit, "limit", 1, MaxPageSize, DefaultPageSize);
            if (limitError is not null)
            {
                return limitError;
            }
            var page = await grains.Grain<IEventLogGrain>(IEventLogGrain.Key).ReadAsync(stream, from, limit, EventPage.MaxBytes);
            var events = page.Events;
            var next = events.Count > 0 && events[^1].Seq < lastSeq ? events[^1].Seq + 1 : (long?)null;
            return TypedResults.Ok(new EventPageView(events.Select(ToView).ToArray(), next));
        }
        using var slot = limits.Open(ConnectionKind.Stream, http);
        if (slot.Rejected is { } rejected)
        {
            return rejected;
        }
        await StreamAsync(http, stream, from, lastSeq, isTerminal, isTerminalEvent);
        return TypedResults.Empty;
    }

    private static (long From, ProblemHttpResult? Error) ResolveStart(EventStreamQuery query, long lastSeq)
    {
        var lastEventId = query.LastEventId ?? "";
        if (lastEventId.Length > 0)
        {
            if (!long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out var last))
            {
                return (0, ProblemCatalog.For(ErrorCodes.ValidationFailed, "Last-Event-ID must be a sequence number.", "Last-Event-ID"));
            }
            return last > lastSeq
                ? (0, ProblemCatalog.For(ErrorCodes.ValidationFailed, $"Last-Event-ID {last} is beyond the end of the stream ({lastSeq}).", "Last-Event-ID"))
                : (last + 1, null);
        }
        var fromText = query.From ?? "";
        if (fromText.Length == 0)
        {
            return (1, null);
        }
        if (!long.TryParse(fromText, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
        {
            return (0, ProblemCatalog.For(ErrorCodes.ValidationFailed, "from must be a sequence number.", "from"));
        }
        return from > lastSeq + 1
            ? (0, ProblemCatalog.For(ErrorCodes.ValidationFailed, $"from {from} is beyond the end of the stream ({lastSeq}).", "from"))
            : (Math.Max(from, 1), null);
    }

    private static bool WantsJson(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        return accept.Contains("application/json", StringComparison.OrdinalIgnoreCase)
            && !accept.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase);
    }

    private async Task StreamAsync(HttpContext http, GrainId stream, long from, long lastSeq, bool isTerminal, Func<string, bool> isTerminalEvent)
    {
        var response = http.Response;
        using var ends = drain.WaitEnds(http.RequestAborted);
        var aborted = ends.Token;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var pipe = response.BodyWriter;
        await pipe.FlushAsync(aborted);
        GatewayTelemetry.SseSubscribers.Add(1);
        try
        {
            // A resource already terminal only replays what it has (a batch may log bookkeeping
            // after its terminal event, e.g. a late waiter): the stream ends at the position it had.
            var stopAfter = isTerminal ? lastSeq : long.MaxValue;
            if (from <= stopAfter)
            {
                await FollowAsync(pipe, stream, from, stopAfter, isTerminalEvent, aborted);
            }
            pipe.Write(End);
            await pipe.FlushAsync(aborted);
        }
        catch (OperationCanceledException) when (drain.CutShort(http.RequestAborted))
        {
            // Draining: the client is told when to come back, and resumes with Last-Event-ID.
            // Not cancellable: the stop signal already fired, and a write to a closed connection is dropped, not thrown.
            await response.BodyWriter.WriteAsync(Drained, CancellationToken.None);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away; it resumes with Last-Event-ID.
        }
        finally
        {
            GatewayTelemetry.SseSubscribers.Add(-1);
        }
    }

    private async Task FollowAsync(PipeWriter pipe, GrainId stream, long from, long stopAfter, Func<string, bool> isTerminalEvent, CancellationToken aborted)
    {
        await foreach (var page in follower.PagesAsync(stream, from, options.Value.SseKeepAlive, options.Value.SsePageBytes, aborted))
        {
            if (page.Events.Count == 0)
            {
                pipe.Write(KeepAlive);
            }
            var ended = false;
            using (var text = new PooledBufferWriter(options.Value.SsePageBytes + 4096))
            {
                using var json = new Utf8JsonWriter(text);
                foreach (var e in page.Events)
                {
                    if (e.Seq > stopAfter)
                    {
                        ended = true;
                        break;
                    }
                    WriteEvent(text, json, e);
                    ended |= isTerminalEvent(e.Type) || e.Seq == stopAfter;
                }
                pipe.Write(text.WrittenSpan);
            }
            // Waits while the client is behind: the next page is read only once this one left.
            await pipe.FlushAsync(aborted);
            if (ended)
            {
                return;
            }
        }
    }

    private static void WriteEvent(IBufferWriter<byte> text, Utf8JsonWriter json, LogEvent e)
    {
        Ascii(text, "id: ");
        Ascii(text, e.Seq.ToString(CultureInfo.InvariantCulture));
        Ascii(text, "\nevent: ");
        Encoding.UTF8.GetBytes(e.Type, text);
        Ascii(text, "\ndata: ");
        json.Reset(text);
        JsonSerializer.Serialize(json, ToView(e), GatewayJsonContext.Default.EventItemView);
        json.Flush();
        Ascii(text, "\n\n");
    }

    private static void Ascii(IBufferWriter<byte> writer, string text) => Encoding.ASCII.GetBytes(text, writer);

    private static EventItemView ToView(LogEvent e) => new(e.Seq, e.Type, e.Time, new RawJson(e.Data));
}
