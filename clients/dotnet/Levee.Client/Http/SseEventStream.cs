using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Levee.Client.Json;

namespace Levee.Client.Http;

/// <summary>
/// Reads an SSE event log and survives dropped connections: each reconnect sends
/// <c>Last-Event-ID</c> = the last sequence number yielded, and anything at or below it is
/// skipped, so a consumer sees every event once, in order. It ends after <c>event: end</c>.
/// </summary>
internal sealed class SseEventStream(LeveeClient client, string path)
{
    /// <summary>Reconnects in a row without a new event before the stream gives up with the last error.</summary>
    private const int MaxFruitlessReconnects = 8;

    public async IAsyncEnumerable<ExecutionEvent> ReadAsync(long afterSeq, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var last = afterSeq;
        var fruitless = 0;
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            var progressed = false;
            var ended = false;
            Exception? dropped = null;
            var reader = await OpenAsync(last, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var events = reader.ReadAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
                await using (events.ConfigureAwait(false))
                {
                    while (true)
                    {
                        SseMessage message;
                        try
                        {
                            if (!await events.MoveNextAsync().ConfigureAwait(false))
                            {
                                break;
                            }
                            message = events.Current;
                        }
                        catch (Exception e) when (!cancellationToken.IsCancellationRequested && LeveeClient.IsTransient(e))
                        {
                            dropped = e;
                            break;
                        }
                        if (message.Retry is { } retry)
                        {
                            delay = retry;
                        }
                        if (message.Event == "end")
                        {
                            ended = true;
                            break;
                        }
                        if (message.Data is null)
                        {
                            continue;
                        }
                        var item = JsonSerializer.Deserialize(message.Data, LeveeClientJsonContext.Default.ExecutionEvent)
                            ?? throw new LeveeApiException(System.Net.HttpStatusCode.OK, LeveeApiException.UnexpectedResponse, "An SSE event had no data.");
                        if (item.Seq <= last)
                        {
                            continue; // already yielded before the reconnect
                        }
                        last = item.Seq;
                        progressed = true;
                        yield return item;
                    }
                }
            }
            if (ended)
            {
                yield break;
            }
            fruitless = progressed ? 0 : fruitless + 1;
            if (fruitless > MaxFruitlessReconnects)
            {
                throw dropped ?? new IOException($"The event stream of {path} kept closing without sending an event.");
            }
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Opens the stream after <paramref name="last"/>; a transient failure to connect is retried by the client's pipeline.</summary>
    private async Task<SseReader> OpenAsync(long last, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative)).Retryable();
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (last > 0)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", last.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        try
        {
            var response = await client.SendStreamingAsync(request, cancellationToken).ConfigureAwait(false);
            return new SseReader(request, response);
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }
}

/// <summary>One SSE message: its fields as sent (<c>data</c> lines joined with newlines).</summary>
internal sealed record SseMessage(string? Id, string? Event, string? Data, TimeSpan? Retry);

/// <summary>Parses <c>text/event-stream</c> line by line (comments and unknown fields ignored), owning the response it reads.</summary>
internal sealed class SseReader(HttpRequestMessage request, HttpResponseMessage response) : IAsyncDisposable
{
    public async IAsyncEnumerable<SseMessage> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string? id = null, type = null;
        TimeSpan? retry = null;
        StringBuilder? data = null;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null || type is not null || retry is not null)
                {
                    yield return new SseMessage(id, type, data?.ToString(), retry);
                }
                (type, data, retry) = (null, null, null);
                continue;
            }
            if (line[0] == ':')
            {
                continue; // keep-alive comment
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }
            switch (field)
            {
                case "id":
                    id = value;
                    break;
                case "event":
                    type = value;
                    break;
                case "data":
                    (data ??= new StringBuilder()).Append(data.Length > 0 ? "\n" : "").Append(value);
                    break;
                case "retry":
                    retry = long.TryParse(value, out var ms) ? TimeSpan.FromMilliseconds(ms) : retry;
                    break;
                default:
                    break;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        response.Dispose();
        request.Dispose();
        return ValueTask.CompletedTask;
    }
}
