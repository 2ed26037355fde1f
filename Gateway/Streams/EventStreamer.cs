using System.Globalization;
using System.Text;
using System.Text.Json;
using Levee.Errors;
using Levee.Gateway.Json;
using Levee.Gateway.Problems;
using Levee.Runtime;
using Levee.Streams;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Levee.Gateway.Streams;

/// <summary>
/// Serves a grain's event log: as server-sent events (replay, then live; <c>id:</c> = seq;
/// resume with <c>Last-Event-ID</c> or <c>?from=</c>; keep-alive comments; <c>event: end</c>
/// after the terminal event) or, with <c>Accept: application/json</c>, as a page.
/// </summary>
public sealed class EventStreamer(IEventLog log, IOptions<GatewayOptions> options)
{
    private const int ReadBatch = 256;
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 1000;

    /// <summary>Validates the resume position and serves the stream or a page.</summary>
    public async Task<IResult> ServeAsync(HttpContext http, GrainId stream, long lastSeq, bool isTerminal, Func<string, bool> isTerminalEvent)
    {
        var request = http.Request;
        var (from, error) = ResolveStart(request, lastSeq);
        if (error is not null)
        {
            return error;
        }
        if (WantsJson(request))
        {
            var limit = DefaultPageSize;
            if (request.Query.TryGetValue("limit", out var limitText) && (!int.TryParse(limitText, out limit) || limit is < 1 or > MaxPageSize))
            {
                return ProblemCatalog.For(ErrorCodes.ValidationFailed, $"limit must be an integer from 1 to {MaxPageSize}.", "limit");
            }
            var events = await log.ReadAsync(stream, from, limit, http.RequestAborted);
            var next = events.Count == limit && events[^1].Seq < lastSeq ? events[^1].Seq + 1 : (long?)null;
            return TypedResults.Ok(new EventPage(events.Select(ToView).ToArray(), next));
        }
        await StreamAsync(http, stream, from, lastSeq, isTerminal, isTerminalEvent);
        return TypedResults.Empty;
    }

    private static (long From, IResult? Error) ResolveStart(HttpRequest request, long lastSeq)
    {
        var lastEventId = request.Headers["Last-Event-ID"].ToString();
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
        var fromText = request.Query["from"].ToString();
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
        var aborted = http.RequestAborted;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.Body.FlushAsync(aborted);

        using var subscription = log.Subscribe(stream);
        var next = from;
        try
        {
            // Resuming past the terminal event: nothing more will ever come.
            var ended = isTerminal && next > lastSeq;
            while (!ended)
            {
                var events = await log.ReadAsync(stream, next, ReadBatch, aborted);
                foreach (var e in events)
                {
                    await WriteEventAsync(response, e, aborted);
                    next = e.Seq + 1;
                    ended |= isTerminalEvent(e.Type);
                }
                await response.Body.FlushAsync(aborted);
                if (ended || events.Count == ReadBatch)
                {
                    continue;
                }
                await WaitOrKeepAliveAsync(response, subscription, next - 1, aborted);
            }
            await response.WriteAsync("event: end\ndata: {}\n\n", aborted);
            await response.Body.FlushAsync(aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away; it resumes with Last-Event-ID.
        }
    }

    private async Task WaitOrKeepAliveAsync(HttpResponse response, IStreamSubscription subscription, long afterSeq, CancellationToken aborted)
    {
        using var keepAlive = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        keepAlive.CancelAfter(options.Value.SseKeepAlive);
        try
        {
            await subscription.WaitAsync(afterSeq, keepAlive.Token);
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            await response.WriteAsync(": keep-alive\n\n", aborted);
            await response.Body.FlushAsync(aborted);
        }
    }

    private static async Task WriteEventAsync(HttpResponse response, StoredEvent e, CancellationToken aborted)
    {
        var data = JsonSerializer.Serialize(ToView(e), GatewayJsonContext.Default.EventItemView);
        var text = new StringBuilder(data.Length + 64)
            .Append("id: ").Append(e.Seq.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("event: ").Append(e.Type).Append('\n')
            .Append("data: ").Append(data).Append("\n\n")
            .ToString();
        await response.WriteAsync(text, aborted);
    }

    private static EventItemView ToView(StoredEvent e) => new(e.Seq, e.Type, e.Time, new RawJson(e.Data));
}
