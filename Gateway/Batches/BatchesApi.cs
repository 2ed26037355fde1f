using System.Security.Cryptography;
using System.Text;
using Levee.Batches;
using Levee.Errors;
using Levee.Executions;
using Levee.Gateway.Auth;
using Levee.Gateway.Json;
using Levee.Gateway.Problems;
using Levee.Gateway.Streams;
using Levee.Idempotency;
using Levee.Runtime;
using Levee.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Levee.Gateway.Batches;

/// <summary>Two-phase batches: create (Phase 1), stream items as NDJSON (Phase 2), watch, list children, cancel.</summary>
public static class BatchesApi
{
    /// <summary>Items per grain call while streaming: one commit each, parsed while the previous one commits.</summary>
    private const int ChunkSize = 1000;
    private const int MaxPage = 500;

    /// <summary>Maps <c>/v1/batches</c>.</summary>
    public static IEndpointRouteBuilder MapBatchesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/batches").WithTags("Batches").WithMetadata(new RequiredScope(ApiScopes.Batches));
        group.MapPost("", CreateAsync);
        group.MapPost("/{id}/items", AcceptItemsAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapGet("/{id}/executions", ChildrenAsync);
        group.MapGet("/{id}/events", EventsAsync);
        group.MapPost("/{id}/cancel", CancelAsync);
        return routes;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, Caller caller, IGrainFactory grains, JsonBody body, TimeProvider clock)
    {
        var (request, error) = await body.ReadAsync(http.Request, GatewayJsonContext.Default.CreateBatchRequest);
        if (error is not null)
        {
            return error;
        }
        var (key, keyError) = IdempotencyHeader.Read(http.Request);
        if (keyError is not null)
        {
            return keyError;
        }
        // With an Idempotency-Key the id is derived from it, so a retry addresses the same batch
        // grain and its compare-and-set makes the create happen once.
        var id = key is not null ? IdFromKey(caller, key) : ExecutionIds.New("bat", clock.GetUtcNow());
        var command = new CreateBatch
        {
            Id = id, RunCount = request!.RunCount ?? 0, Task = request.Task, Queue = request.Queue ?? "default", Retry = request.Retry,
            Timeouts = request.Timeouts, ParentId = request.ParentId, ResumeParent = request.ResumeParent ?? false,
            SealTimeoutMs = request.SealTimeoutMs ?? CreateBatch.DefaultSealTimeoutMs, Tags = request.Tags, Metadata = request.Metadata,
        };
        var outcome = await Batch(grains, caller, id).CreateAsync(command);
        switch (outcome.Kind)
        {
            case OutcomeKind.Applied:
                return TypedResults.Created($"/v1/batches/{id}", outcome.Value);
            case OutcomeKind.Unchanged:
                http.Response.Headers["Idempotent-Replayed"] = "true";
                return TypedResults.Ok(outcome.Value);
            default:
                return outcome.Rejection!.Code == ErrorCodes.AlreadyExists
                    ? ProblemCatalog.For(ErrorCodes.IdempotencyKeyMismatch, $"Idempotency-Key '{key}' was used with a different batch.", "Idempotency-Key")
                    : ProblemCatalog.For(outcome.Rejection);
        }
    }

    private static async Task<IResult> AcceptItemsAsync(string id, HttpContext http, Caller caller, IGrainFactory grains, IBatchStore store,
        IOptions<GatewayOptions> options)
    {
        if (!http.Request.ContentType?.StartsWith("application/x-ndjson", StringComparison.OrdinalIgnoreCase) ?? true)
        {
            return ProblemCatalog.For(ErrorCodes.UnsupportedMediaType, "Send the items as 'Content-Type: application/x-ndjson'.");
        }
        if (!ExecutionIds.IsValid(id))
        {
            return NotFound(id);
        }
        var batch = Batch(grains, caller, id);
        // An empty chunk asks the batch the one question that matters before reading anything:
        // does it still accept items? If not, it answers per its idempotent-retry rule.
        var probe = await batch.AcceptItemsAsync(new AcceptItems([]));
        if (probe.Rejection is { } rejected)
        {
            return rejected.Code == ErrorCodes.NotFound ? NotFound(id) : ProblemCatalog.For(rejected);
        }
        var view = probe.Value!.Batch;
        if (view.Sealed || view.Status != BatchStatus.Pending)
        {
            return TypedResults.Ok(Response(view, 0, 0, []));
        }
        var reader = new NdjsonItemReader(http.Request.BodyReader, view.RunCount, view.Task is not null, options.Value.MaxNdjsonLineBytes);
        long accepted = 0, deduplicated = 0;
        Task<Outcome<ItemsAccepted>>? inFlight = null;
        while (true)
        {
            var (items, error) = await reader.ReadChunkAsync(ChunkSize, http.RequestAborted);
            if (inFlight is not null && await Settle(await inFlight) is { } failed)
            {
                return failed;
            }
            inFlight = items.Count > 0 ? batch.AcceptItemsAsync(new AcceptItems(items)) : null;
            if (error is not null)
            {
                // Items before the bad line stay accepted (a retry deduplicates them).
                if (inFlight is not null)
                {
                    await Settle(await inFlight);
                }
                return ProblemCatalog.For(error);
            }
            if (inFlight is null)
            {
                break;
            }
        }
        if (reader.Line == 0)
        {
            return ProblemCatalog.For(ErrorCodes.ValidationFailed, "The body has no items.");
        }
        return TypedResults.Ok(Response(view, accepted, deduplicated, view.Sealed ? [] : store.Missing(caller.ExecutionKeyOf(id), view.RunCount, 100)));

        async Task<IResult?> Settle(Outcome<ItemsAccepted> outcome)
        {
            if (outcome.Rejection is { } rejection)
            {
                return ProblemCatalog.For(rejection);
            }
            accepted += outcome.Value!.Accepted;
            deduplicated += outcome.Value.Deduplicated;
            view = outcome.Value.Batch;
            return null;
        }
    }

    private static ItemsResponse Response(BatchView view, long accepted, long deduplicated, IReadOnlyList<int> missing) =>
        new(view.Id, view.Sealed, accepted, deduplicated, view.EnqueuedCount, view.RunCount, missing, view.Status);

    private static async Task<IResult> GetAsync(string id, Caller caller, IGrainFactory grains)
    {
        var view = ExecutionIds.IsValid(id) ? await Batch(grains, caller, id).GetAsync() : null;
        return view is null ? NotFound(id) : TypedResults.Ok(view);
    }

    private static async Task<IResult> ChildrenAsync(string id, HttpContext http, Caller caller, IGrainFactory grains, IBatchStore store)
    {
        var view = ExecutionIds.IsValid(id) ? await Batch(grains, caller, id).PeekAsync() : null;
        if (view is null)
        {
            return NotFound(id);
        }
        var q = http.Request.Query;
        var limit = 50;
        if (q.TryGetValue("limit", out var limitText) && (!int.TryParse(limitText, out limit) || limit is < 1 or > MaxPage))
        {
            return ProblemCatalog.For(ErrorCodes.ValidationFailed, $"limit must be an integer from 1 to {MaxPage}.", "limit");
        }
        var from = 0;
        if (q.TryGetValue("cursor", out var cursor) && (!int.TryParse(cursor, out from) || from < 0))
        {
            return ProblemCatalog.For(ErrorCodes.ValidationFailed, "cursor is not a cursor this server issued.", "cursor");
        }
        var page = store.Children(caller.ExecutionKeyOf(id), from, limit + 1);
        var items = await Task.WhenAll(page.Take(limit).Select(c => grains.GetGrain<IExecutionGrain>(caller.ExecutionKeyOf(c.ChildId)).GetAsync()));
        var next = page.Count > limit ? page[limit].Index.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new ChildrenPage(items.OfType<ExecutionView>().ToArray(), next));
    }

    private static async Task<IResult> EventsAsync(string id, HttpContext http, Caller caller, IGrainFactory grains, EventStreamer streamer)
    {
        var view = ExecutionIds.IsValid(id) ? await Batch(grains, caller, id).PeekAsync() : null;
        if (view is null)
        {
            return NotFound(id);
        }
        return await streamer.ServeAsync(http, GrainIds.For<IBatchGrain>(caller.ExecutionKeyOf(id)), view.LastEventSeq,
            view.Status >= BatchStatus.Completed, type => type is "completed" or "partial_failed" or "failed" or "aborted");
    }

    private static async Task<IResult> CancelAsync(string id, HttpContext http, Caller caller, IGrainFactory grains, JsonBody body)
    {
        var (request, error) = await body.ReadAsync(http.Request, GatewayJsonContext.Default.CancelBatchRequest, new CancelBatchRequest(null));
        if (error is not null)
        {
            return error;
        }
        if (!ExecutionIds.IsValid(id))
        {
            return NotFound(id);
        }
        var outcome = await Batch(grains, caller, id).CancelAsync(new CancelBatch(request!.Reason));
        return outcome.IsSuccess ? TypedResults.Ok(outcome.Value)
            : outcome.Rejection!.Code == ErrorCodes.NotFound ? NotFound(id) : ProblemCatalog.For(outcome.Rejection);
    }

    private static IBatchGrain Batch(IGrainFactory grains, Caller caller, string id) => grains.GetGrain<IBatchGrain>(caller.ExecutionKeyOf(id));

    private static string IdFromKey(Caller caller, string key) =>
        "bat_" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{caller.Tenant}/{caller.Project}/{key}")))[..26].ToLowerInvariant();

    private static IResult NotFound(string id) => ProblemCatalog.For(ErrorCodes.NotFound, $"Batch '{id}' was not found.");
}
