using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Levee.Client.Http;
using Levee.Client.Json;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Levee.Client;

/// <summary>
/// A typed client of Levee's REST API (v1). Every refusal is a <see cref="LeveeApiException"/>;
/// transient failures are retried with backoff and jitter, but only for calls that are safe to
/// repeat: reads, writes idempotent by contract (status writes, lease-fenced worker writes,
/// cancels, decisions), and creates, which always carry an <c>Idempotency-Key</c> that every
/// retry of the same call re-sends.
/// </summary>
/// <remarks>
/// Get one from DI (<see cref="LeveeServiceCollectionExtensions.AddLeveeClient(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{LeveeClientOptions})"/>),
/// or build one with <see cref="Create"/>. The <see cref="HttpClient"/> must carry the base
/// address and the bearer key, and no timeout of its own (event streams stay open).
/// </remarks>
/// <param name="http">An HTTP client whose handler chain includes the retry pipeline.</param>
public sealed partial class LeveeClient(HttpClient http)
{
    private static readonly LeveeClientJsonContext Json = LeveeClientJsonContext.Default;
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    /// <summary>Builds a client without DI, with its own connection pool and the same retry pipeline.</summary>
    /// <param name="options">Base address, key and retry settings.</param>
    public static LeveeClient Create(LeveeClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>();
        LeveeResilience.Configure(pipeline, options);
#pragma warning disable CA2000 // the handler chain belongs to the HttpClient, which the client keeps for its lifetime
        var handler = new ResilienceHandler(pipeline.Build())
        {
            InnerHandler = new ResponseBufferingHandler { InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) } },
        };
        return new LeveeClient(Configure(new HttpClient(handler), options));
#pragma warning restore CA2000
    }

    /// <summary>Sets what every call needs on <paramref name="client"/>: base address, bearer key, no overall timeout.</summary>
    internal static HttpClient Configure(HttpClient client, LeveeClientOptions options)
    {
        client.BaseAddress = options.BaseAddress;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        // Event streams and long polls outlive any fixed timeout; each attempt has its own (LeveeResilience).
        client.Timeout = Timeout.InfiniteTimeSpan;
        return client;
    }

    /// <summary>A new idempotency key for one logical create.</summary>
    public static string NewIdempotencyKey() => "lvc_" + Guid.NewGuid().ToString("N");

    private static HttpRequestMessage Request(HttpMethod method, string path) => new(method, new Uri(path, UriKind.Relative));

    private static HttpRequestMessage Post<TBody>(string path, TBody body, JsonTypeInfo<TBody> info)
    {
        var request = Request(HttpMethod.Post, path);
        // Bytes, not a stream: a retry sends the same content again.
        request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, info)) { Headers = { ContentType = JsonMediaType } };
        return request;
    }

    private static HttpRequestMessage WithIdempotencyKey(HttpRequestMessage request, string? key)
    {
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key ?? NewIdempotencyKey());
        return request.Retryable();
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    /// <summary>Sends, fails with the typed problem, and reads the JSON reply.</summary>
    private async Task<T> SendAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> reply, CancellationToken cancellationToken)
    {
        using (request)
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            await ThrowIfProblemAsync(response, cancellationToken).ConfigureAwait(false);
            return await response.Content.ReadFromJsonAsync(reply, cancellationToken).ConfigureAwait(false)
                ?? throw new LeveeApiException(response.StatusCode, LeveeApiException.UnexpectedResponse, "The reply had no body.");
        }
    }

    /// <summary>Sends a call that answers with no body (204).</summary>
    private async Task SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            await ThrowIfProblemAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends a DELETE, retried like any idempotent call: true when it deleted, false when there
    /// was nothing to delete (404). A 404 is an answer, not an error, because a retry cannot tell
    /// "never existed" from "deleted by my own earlier attempt whose 204 was lost" (and the HTTP
    /// stack may re-send a request whose connection broke before any reply byte, below every
    /// handler); either way the resource is gone, which is what the caller asked for.
    /// </summary>
    private async Task<bool> DeleteAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(Request(HttpMethod.Delete, path).Retryable(), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (LeveeApiException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Sends a request whose reply is read by the caller (streams); throws the typed problem on a refusal.</summary>
    internal async Task<HttpResponseMessage> SendStreamingAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Streams();
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        try
        {
            await ThrowIfProblemAsync(response, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Turns a refusal into <see cref="LeveeApiException"/>: its problem body, or the bare status when it had none.</summary>
    internal static async Task ThrowIfProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var retryAfter = response.Headers.RetryAfter is { } header
            ? header.Delta ?? (header.Date is { } date ? date - DateTimeOffset.UtcNow : null)
            : null;
        Problem? problem = null;
        if (response.Content.Headers.ContentType?.MediaType is "application/problem+json" or "application/json")
        {
            try
            {
                problem = await response.Content.ReadFromJsonAsync(Json.Problem, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException)
            {
                // Not a problem body after all: reported by status below.
            }
        }
        throw new LeveeApiException(response.StatusCode, problem?.Code ?? LeveeApiException.UnexpectedResponse,
            problem?.Detail ?? problem?.Title ?? response.ReasonPhrase, problem?.CurrentStatus, problem?.Field, retryAfter);
    }

    /// <summary>True when <paramref name="e"/> is a refusal that a later identical call may not get (a transient server or network state).</summary>
    internal static bool IsTransient(Exception e) => e switch
    {
        LeveeApiException api => (int)api.Status >= 500 || api.Status is HttpStatusCode.RequestTimeout || api.RetryAfter is not null,
        HttpRequestException or IOException or Polly.Timeout.TimeoutRejectedException => true,
        _ => false,
    };
}
