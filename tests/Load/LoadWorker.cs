using System.Diagnostics;
using System.Net.Http.Headers;

namespace Levee.Load;

/// <summary>
/// One concurrent client loop's private state: its latency recorders, error counts and progress.
/// Only the worker writes these during a run; they are read after it (progress reads one counter).
/// </summary>
internal sealed class LoadWorker
{
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    private readonly HttpClient _client;
    private readonly IReadOnlyList<string> _operations;
    private readonly LatencyRecorder[] _latencies;
    private readonly LatencyRecorder[] _flows;
    private readonly ErrorSamples _samples;
    private long _completed;

    /// <summary>
    /// A worker recording <c>operations</c> (request latencies) and <c>flows</c>: latencies between
    /// events that different requests observe (e.g. from a create's response to the claim that
    /// returned the execution), recorded by the scenario through <see cref="Flow"/>.
    /// </summary>
    public LoadWorker(HttpClient client, IReadOnlyList<string> operations, int expectedPerOperation, ErrorSamples samples,
        IReadOnlyList<string>? flows = null)
    {
        _client = client;
        _operations = operations;
        _samples = samples;
        // Sized up front so recording never reallocates in --count runs.
        _latencies = [.. operations.Select(_ => new LatencyRecorder(expectedPerOperation))];
        _flows = [.. (flows ?? []).Select(_ => new LatencyRecorder(expectedPerOperation))];
    }

    public ErrorTally Errors { get; } = new();

    /// <summary>Requests sent, successful or not.</summary>
    public long Requests { get; private set; }

    /// <summary>Units (executions or requests) finished; read by the progress line while the worker runs.</summary>
    public long Completed => Volatile.Read(ref _completed);

    /// <summary>Units that finished with an error.</summary>
    public long Failed { get; private set; }

    public LatencyRecorder Latency(int operation) => _latencies[operation];

    public LatencyRecorder Flow(int flow) => _flows[flow];

    public void Complete(bool succeeded)
    {
        if (!succeeded)
        {
            Failed++;
        }
        Volatile.Write(ref _completed, _completed + 1);
    }

    /// <summary>
    /// Sends one request and records its latency (2xx only) or its error. The body is returned
    /// only when <paramref name="readBody"/> is set, so requests that do not need it do not copy it.
    /// Without <paramref name="recordLatency"/> the caller times the request itself, e.g. to file it
    /// under an operation that depends on the answer.
    /// </summary>
    public async Task<(bool Ok, byte[]? Body)> SendAsync(int operation, HttpMethod method, Uri uri, byte[]? body, bool readBody = false,
        bool recordLatency = true)
    {
        using var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            // A fresh content wrapper per request: HttpContent caches headers such as
            // Content-Length lazily, so one instance must not be shared by concurrent requests.
            request.Content = new ByteArrayContent(body) { Headers = { ContentType = JsonType } };
        }
        Requests++;
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            if (!response.IsSuccessStatusCode)
            {
                RecordError(operation, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    await response.Content.ReadAsStringAsync());
                return (false, null);
            }
            var bytes = readBody ? await response.Content.ReadAsByteArrayAsync() : null;
            if (recordLatency)
            {
                _latencies[operation].Record(Stopwatch.GetTimestamp() - started);
            }
            return (true, bytes);
        }
        catch (TaskCanceledException)
        {
            RecordError(operation, "timeout", null);
        }
        catch (HttpRequestException ex)
        {
            RecordError(operation, ex.HttpRequestError is HttpRequestError.Unknown ? "http-error" : $"{ex.HttpRequestError}", ex.Message);
        }
        return (false, null);
    }

    /// <summary>Counts an error; also used by scenarios for 2xx answers they cannot use.</summary>
    public void RecordError(int operation, string kind, string? detail)
    {
        Errors.Record(kind);
        _samples.Add(_operations[operation], kind, detail);
    }
}
