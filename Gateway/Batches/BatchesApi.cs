using Levee.Batches;
using Levee.Errors;
using Levee.Executions;
using Levee.Gateway.Auth;
using Levee.Gateway.Idempotency;
using Levee.Gateway.Json;
using Levee.Gateway.Problems;
using Levee.Gateway.Streams;
using Levee.Idempotency;
using Levee.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Levee.Gateway.Batches;

/// <summary>Two-phase batches: create (Phase 1), stream items as NDJSON (Phase 2), watch, list children, cancel.</summary>
public static class BatchesApi
{
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

    private static async Task<IResult> CreateAsync(HttpContext http, Caller caller, IGrainFactory grains, Json<CreateBatchRequest> body, TimeProvider clock)
    {
        var request = body.Value;
        var (key, keyError) = IdempotencyHeader.Read(http.Request);
        if (keyError is not null)
        {
            return keyError;
        }
        var command = new CreateBatch
        {
            Id = ExecutionIds.New("bat", clock.GetUtcNow()), RunCount = request.RunCount ?? 0, Task = request.Task, Queue = request.Queue ?? "default",
            Retry = request.Retry, Timeouts = request.Timeouts, ParentId = request.ParentId, ResumeParent = request.ResumeParent ?? false,
            SealTimeoutMs = request.SealTimeoutMs ?? CreateBatch.DefaultSealTimeoutMs, Tags = request.Tags, Metadata = request.Metadata,
        };
        // With an Idempotency-Key, the key's grain binds it to this request and to the batch's id
        // before creating it, so a retry finds the same batch (one mechanism and TTL with executions).
        var result = key is null
            ? new IdempotentResult<BatchView>(await Batch(grains, caller, command.Id).CreateAsync(command), Replayed: false)
            : await grains.Grain<IIdempotencyGrain>(caller.Key(key)).CreateBatchAsync(command);
        var outcome = result.Outcome;
        if (result.Replayed)
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
        }
        return outcome.Kind switch
        {
            OutcomeKind.Applied => TypedResults.Created($"/v1/batches/{outcome.Value!.Id}", outcome.Value),
            OutcomeKind.Unchanged => TypedResults.Ok(outcome.Value),
            _ => ProblemCatalog.For(outcome.Rejection!),
        };
    }

    private static async Task<IResult> AcceptItemsAsync(string id, HttpContext http, Caller caller, IGrainFactory grains, IOptions<GatewayOptions> options)
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
            var (items, error) = await reader.ReadChunkAsync(AcceptItems.MaxItems, AcceptItems.MaxBytes, http.RequestAborted);
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
        return TypedResults.Ok(Response(view, accepted, deduplicated, view.Sealed ? [] : await batch.MissingAsync(100)));

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

    private static async Task<IResult> ChildrenAsync(string id, HttpContext http, Caller caller, IGrainFactory grains)
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
        var cursor = q["cursor"].ToString();
        var page = await grains.Grain<IExecutionQueryGrain>(IExecutionQueryGrain.Key)
            .ListBatchChildrenAsync(caller.Tenant, caller.Project, id, cursor.Length == 0 ? null : cursor, limit);
        return page.IsSuccess ? TypedResults.Ok(new ChildrenPage(page.Value!.Items, page.Value.NextCursor)) : ProblemCatalog.For(page.Rejection!);
    }

    private static async Task<IResult> EventsAsync(string id, HttpContext http, Caller caller, IGrainFactory grains, EventStreamer streamer)
    {
        var view = ExecutionIds.IsValid(id) ? await Batch(grains, caller, id).PeekAsync() : null;
        if (view is null)
        {
            return NotFound(id);
        }
        return await streamer.ServeAsync(http, Batch(grains, caller, id).GetGrainId(), view.LastEventSeq,
            view.Status >= BatchStatus.Completed, type => type is "completed" or "partial_failed" or "failed" or "aborted");
    }

    private static async Task<IResult> CancelAsync(string id, Caller caller, IGrainFactory grains, OptionalJson<CancelBatchRequest> body)
    {
        var request = body.Value;
        if (!ExecutionIds.IsValid(id))
        {
            return NotFound(id);
        }
        var outcome = await Batch(grains, caller, id).CancelAsync(new CancelBatch(request.Reason));
        return outcome.IsSuccess ? TypedResults.Ok(outcome.Value)
            : outcome.Rejection!.Code == ErrorCodes.NotFound ? NotFound(id) : ProblemCatalog.For(outcome.Rejection);
    }

    private static IBatchGrain Batch(IGrainFactory grains, Caller caller, string id) => grains.Grain<IBatchGrain>(caller.Key(id));

    private static IResult NotFound(string id) => ProblemCatalog.For(ErrorCodes.NotFound, $"Batch '{id}' was not found.");
}
