using Levee.Client.Http;
using Levee.Client.Json;

namespace Levee.Client;

public sealed partial class LeveeClient
{
    /// <summary>Creates a batch (phase 1), with an <c>Idempotency-Key</c> re-sent on every retry (generated when none is given).</summary>
    public Task<Batch> CreateBatchAsync(CreateBatchRequest request, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        SendAsync(WithIdempotencyKey(Post("/v1/batches", request, Json.CreateBatchRequest), idempotencyKey), Json.Batch, cancellationToken);

    /// <summary>The batch with its live counts.</summary>
    public Task<Batch> GetBatchAsync(string batchId, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Get, $"/v1/batches/{Escape(batchId)}").Retryable(), Json.Batch, cancellationToken);

    /// <summary>A page of the batch's children, by index.</summary>
    public Task<Page<Execution>> ListBatchExecutionsAsync(string batchId, int? limit = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Get, Query($"/v1/batches/{Escape(batchId)}/executions",
            ("limit", limit?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("cursor", cursor))).Retryable(), Json.PageExecution, cancellationToken);

    /// <summary>Cancels (aborts) the batch and its children; idempotent on an aborted batch.</summary>
    public Task<Batch> CancelBatchAsync(string batchId, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(Post($"/v1/batches/{Escape(batchId)}/cancel", new ReasonBody(reason), Json.ReasonBody).Retryable(), Json.Batch, cancellationToken);

    /// <summary>Deletes a terminal batch with its children (409 <c>not_terminal</c> before that). False when there was no such batch (or it was deleted before).</summary>
    public Task<bool> DeleteBatchAsync(string batchId, CancellationToken cancellationToken = default) =>
        DeleteAsync($"/v1/batches/{Escape(batchId)}", cancellationToken);

    /// <summary>
    /// Phase 2 in one request: streams <paramref name="items"/> as NDJSON while they are produced
    /// (flat memory). Not retried, since the source is read once; see <see cref="UploadItemsAsync"/>.
    /// </summary>
    public Task<BatchItemsResult> SendItemsAsync(string batchId, IAsyncEnumerable<BatchItem> items, CancellationToken cancellationToken = default) =>
        SendItemsAsync(batchId, items, _ => true, cancellationToken);

    /// <summary>
    /// Phase 2 with retries: streams <paramref name="items"/> (flat memory), and after a transient
    /// failure (a reset connection, a 5xx) sends only what the API says is <c>missing</c>. What
    /// arrived before a failure is known only to the server, so a request of one item (which is
    /// deduplicated if it had arrived) asks it first. The API lists the first 100 missing indexes:
    /// every index below the first of them arrived, so a round resumes from there, or sends
    /// exactly those when fewer than 100 are left. Returns the first reply of a complete round
    /// (sealed, or the source lacks the <c>missing</c> indexes); refusals (e.g. 409
    /// <c>batch_aborted</c>, 400 naming the bad line) are thrown at once, and the last transient
    /// error after <paramref name="maxRounds"/>.
    /// </summary>
    /// <param name="batchId">The batch.</param>
    /// <param name="items">The items; re-enumerable (a resumed round starts it again and skips what arrived).</param>
    /// <param name="maxRounds">Requests of items at most.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    public async Task<BatchItemsResult> UploadItemsAsync(string batchId, Func<IAsyncEnumerable<BatchItem>> items, int maxRounds = 5,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRounds, 1);
        Func<int, bool> include = _ => true;
        Exception? lastError = null;
        for (var round = 0; round < maxRounds; round++)
        {
            try
            {
                if (lastError is not null)
                {
                    var first = await FirstAsync(items(), cancellationToken).ConfigureAwait(false)
                        ?? throw new InvalidOperationException("The item source yielded nothing on a resumed round.");
                    var probe = await SendItemsAsync(batchId, One(first), _ => true, cancellationToken).ConfigureAwait(false);
                    if (probe.Sealed || probe.Missing.Count == 0)
                    {
                        return probe;
                    }
                    include = Resume(probe.Missing);
                }
                return await SendItemsAsync(batchId, items(), include, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                lastError = e;
                await Task.Delay(TimeSpan.FromMilliseconds(200 * (round + 1)), cancellationToken).ConfigureAwait(false);
            }
        }
        throw lastError!;
    }

    /// <summary>Which indexes a round sends, from the first 100 missing: exactly those when fewer, else every index from the first.</summary>
    internal static Func<int, bool> Resume(IReadOnlyList<int> missing)
    {
        if (missing.Count == 0)
        {
            return _ => false;
        }
        if (missing.Count < 100)
        {
            var set = missing.ToHashSet();
            return set.Contains;
        }
        var from = missing.Min();
        return index => index >= from;
    }

    private async Task<BatchItemsResult> SendItemsAsync(string batchId, IAsyncEnumerable<BatchItem> items, Func<int, bool> include,
        CancellationToken cancellationToken)
    {
        var request = Request(HttpMethod.Post, $"/v1/batches/{Escape(batchId)}/items");
        request.Content = new NdjsonItemsContent(items, include, cancellationToken) { Headers = { ContentType = NdjsonItemsContent.MediaType } };
        return await SendAsync(request, Json.BatchItemsResult, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<BatchItem?> FirstAsync(IAsyncEnumerable<BatchItem> items, CancellationToken cancellationToken)
    {
        await foreach (var item in items.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            return item;
        }
        return null;
    }

#pragma warning disable CS1998 // an async iterator of one item, to reuse the streaming path
    private static async IAsyncEnumerable<BatchItem> One(BatchItem item)
    {
        yield return item;
    }
#pragma warning restore CS1998
}
