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

    /// <summary>Counts <paramref name="units"/> finished units (one by default), all succeeded or all failed.</summary>
    public void Complete(bool succeeded, long units = 1)
    {
        if (!succeeded)
        {
            Failed += units;
        }
        Volatile.Write(ref _completed, _completed + units);
    }

    /// <summary>
    /// Sends one request and records its latency (2xx only) or its error. The body is returned
    /// only when <paramref name="readBody"/> is set, so requests that do not need it do not copy it.
    /// Without <paramref name="recordLatency"/> the caller times the request itself, e.g. to file it
    /// under an operation that depends on the answer.
    /// </summary>
    public Task<(bool Ok, byte[]? Body)> SendAsync(int operation, HttpMethod method, Uri uri, byte[]? body, bool readBody = false,
        bool recordLatency = true) =>
        // A fresh content wrapper per request: HttpContent caches headers such as
        // Content-Length lazily, so one instance must not be shared by concurrent requests.
        SendContentAsync(operation, method, uri, body is null ? null : new ByteArrayContent(body) { Headers = { ContentType = JsonType } },
            readBody, recordLatency);

    /// <summary>
    /// As <see cref="SendAsync"/>, with a body of the caller's (e.g. generated while it is sent); the request
    /// disposes it. A request stopped by <paramref name="cancel"/> fails without counting as an error.
    /// </summary>
    public async Task<(bool Ok, byte[]? Body)> SendContentAsync(int operation, HttpMethod method, Uri uri, HttpContent? content, bool readBody = false,
        bool recordLatency = true, CancellationToken cancel = default)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        var started = Stopwatch.GetTimestamp();
        using var response = await SendCoreAsync(operation, request, HttpCompletionOption.ResponseContentRead, cancel);
        if (response is null)
        {
            return (false, null);
        }
        var bytes = readBody ? await response.Content.ReadAsByteArrayAsync(CancellationToken.None) : null;
        if (recordLatency)
        {
            _latencies[operation].Record(Stopwatch.GetTimestamp() - started);
        }
        return (true, bytes);
    }

    /// <summary>
    /// Sends a request whose response body the caller reads as it arrives (server-sent events): returns the
    /// response once its headers are read, recording that latency; null after recording an error, or when
    /// <paramref name="cancel"/> stopped it.
    /// </summary>
    public async Task<HttpResponseMessage?> OpenAsync(int operation, HttpRequestMessage request, CancellationToken cancel)
    {
        var started = Stopwatch.GetTimestamp();
        var response = await SendCoreAsync(operation, request, HttpCompletionOption.ResponseHeadersRead, cancel);
        if (response is not null)
        {
            _latencies[operation].Record(Stopwatch.GetTimestamp() - started);
        }
        return response;
    }

    /// <summary>Counts and sends a request; returns its 2xx response, or null after recording why there is none.</summary>
    private async Task<HttpResponseMessage?> SendCoreAsync(int operation, HttpRequestMessage request, HttpCompletionOption completion,
        CancellationToken cancel)
    {
        Requests++;
        HttpResponseMessage? response = null;
        try
        {
            response = await _client.SendAsync(request, completion, cancel);
            if (response.IsSuccessStatusCode)
            {
                return response;
            }
            RecordError(operation, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture),
                await response.Content.ReadAsStringAsync(cancel));
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // Interrupted by the caller: not the silo's error.
        }
        catch (TaskCanceledException)
        {
            RecordError(operation, "timeout", null);
        }
        catch (HttpRequestException ex)
        {
            RecordError(operation, ex.HttpRequestError is HttpRequestError.Unknown ? "http-error" : $"{ex.HttpRequestError}", ex.Message);
        }
        catch (IOException ex)
        {
            // Reading a streamed error body can fail when the connection drops.
            RecordError(operation, "io-error", ex.Message);
        }
        response?.Dispose();
        return null;
    }

    /// <summary>Counts an error; also used by scenarios for 2xx answers they cannot use.</summary>
    public void RecordError(int operation, string kind, string? detail)
    {
        Errors.Record(kind);
        _samples.Add(_operations[operation], kind, detail);
    }
}
