using Levee.Batches;
using Levee.Errors;
using Levee.Executions;
using Levee.Gateway.Auth;
using Levee.Gateway.Endpoints;
using Levee.Gateway.Idempotency;
using Levee.Gateway.Json;
using Levee.Gateway.OpenApi;
using Levee.Gateway.Problems;
using Levee.Gateway.Streams;
using Levee.Idempotency;
using Levee.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Levee.Gateway.Batches;

/// <summary>Two-phase batches: create (Phase 1), stream items as NDJSON (Phase 2), watch, list children, cancel.</summary>
public static class BatchesApi
{
    private const int DefaultPage = 50;
    private const int MaxPage = 500;

    /// <summary>Maps <c>/v1/batches</c>.</summary>
    public static IEndpointRouteBuilder MapBatchesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/batches").WithTags("Batches").RequireScope(ApiScopes.Batches);
        group.MapPost("", CreateAsync).WithName("createBatch").WithSummary("Create a batch (phase 1)")
            .WithDescription("201 with a pending, unsealed batch; stream its items next. An `Idempotency-Key` replay is 200, the original.")
            .ProducesProblems(ErrorCodes.ValidationFailed, ErrorCodes.IdempotencyKeyMismatch, ErrorCodes.QuotaExceeded, ErrorCodes.BatchExceedsQuota)
            .WithExamples(BatchExamples.CreateRequest, StatusCodes.Status201Created, BatchExamples.Batch);
        group.MapPost("/{id}/items", AcceptItemsAsync).WithName("appendBatchItems").WithSummary("Stream a batch's items as NDJSON (phase 2)")
            .WithDescription("One `BatchItemLine` JSON object per line. Items are deduplicated by index; the batch seals once every index came.")
            .WithRequestBody<BatchItemLine>("application/x-ndjson")
            .ProducesProblems(ErrorCodes.ValidationFailed, ErrorCodes.NotFound, ErrorCodes.BatchAborted, ErrorCodes.PayloadTooLarge,
                ErrorCodes.UnsupportedMediaType)
            .WithExamples(BatchExamples.ItemLine, StatusCodes.Status200OK, null);
        group.MapBatchReads(ReadRoutes.Tenant);
        group.MapPost("/{id}/cancel", CancelAsync).WithName("cancelBatch").WithSummary("Cancel a batch and its children")
            .ProducesProblems(ErrorCodes.NotFound, ErrorCodes.TerminalState);
        group.MapPost("/{id}/pause", PauseAsync).WithName("pauseBatch").WithSummary("Pause a batch: claims hand out none of its children")
            .ProducesProblems(ErrorCodes.NotFound, ErrorCodes.TerminalState);
        group.MapPost("/{id}/resume", ResumeAsync).WithName("resumeBatch").WithSummary("Resume a paused batch")
            .ProducesProblems(ErrorCodes.NotFound);
        group.MapDelete("/{id}", DeleteAsync).WithName("deleteBatch").WithSummary("Delete a terminal batch with its children")
            .ProducesProblems(ErrorCodes.NotFound, ErrorCodes.NotTerminal);
        return routes;
    }

    /// <summary>Maps the reads (one, its children, its events) on <paramref name="group"/>: a tenant's <c>/v1/batches</c> or the admin's copy of it.</summary>
    internal static RouteGroupBuilder MapBatchReads(this RouteGroupBuilder group, ReadRoutes routes)
    {
        group.MapGet("/{id}", GetAsync).WithName(routes.Name("getBatch")).WithSummary("Get a batch with its live counts")
            .ProducesProblems(ErrorCodes.NotFound);
        group.MapGet("/{id}/executions", ChildrenAsync).WithName(routes.Name("listBatchExecutions")).WithSummary("List a batch's children by index")
            .ProducesProblems(ErrorCodes.ValidationFailed, ErrorCodes.NotFound);
        group.MapGet("/{id}/events", EventsAsync).WithName(routes.Name("getBatchEvents")).WithSummary("Stream or page a batch's events")
            .ProducesEventStream().ProducesProblems(ErrorCodes.ValidationFailed, ErrorCodes.NotFound);
        return group;
    }

    private static async Task<Results<Created<BatchView>, Ok<BatchView>, ProblemHttpResult>> CreateAsync([AsParameters] TenantCall call,
        Json<CreateBatchRequest> body)
    {
        var request = body.Value;
        var (key, keyError) = IdempotencyHeader.Read(call.Http.Request);
        if (keyError is not null)
        {
            return keyError;
        }
        var command = new CreateBatch
        {
            Id = ExecutionIds.New(ExecutionIds.BatchPrefix, call.Clock.GetUtcNow()), RunCount = request.RunCount ?? 0, Task = request.Task, Queue = request.Queue ?? "default",
            Retry = request.Retry, Timeouts = request.Timeouts, ParentId = request.ParentId, ResumeParent = request.ResumeParent ?? false,
            SealTimeoutMs = request.SealTimeoutMs ?? CreateBatch.DefaultSealTimeoutMs, Tags = request.Tags, Metadata = request.Metadata,
            Ceilings = request.Ceilings,
        };
        // With an Idempotency-Key, the key's grain binds it to this request and to the batch's id
        // before creating it, so a retry finds the same batch (one mechanism and TTL with executions).
        var result = key is null
            ? new IdempotentResult<BatchView>(await call.Grain<IBatchGrain>(command.Id).CreateAsync(command), Replayed: false)
            : await call.Grain<IIdempotencyGrain>(key).CreateBatchAsync(command);
        if (result.Replayed)
        {
            call.Http.Response.Headers["Idempotent-Replayed"] = "true";
        }
        return result.Outcome.ToCreated(view => $"/v1/batches/{view.Id}");
    }

    private static async Task<Results<Ok<ItemsResponse>, ProblemHttpResult>> AcceptItemsAsync(string id, [AsParameters] TenantCall call)
    {
        var http = call.Http;
        if (!http.Request.ContentType?.StartsWith("application/x-ndjson", StringComparison.OrdinalIgnoreCase) ?? true)
        {
            return ProblemCatalog.For(ErrorCodes.UnsupportedMediaType, "Send the items as 'Content-Type: application/x-ndjson'.");
        }
        if (!ExecutionIds.IsValid(id))
        {
            return NotFound(id);
        }
        var batch = call.Grain<IBatchGrain>(id);
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
        var reader = new NdjsonItemReader(http.Request.BodyReader, view.RunCount, view.Task is not null, call.Limits.MaxNdjsonLineBytes);
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
        if (accepted + deduplicated == 0)
        {
            return ProblemCatalog.For(ErrorCodes.ValidationFailed, "The body has no items: it is empty or holds only blank lines.");
        }
        return TypedResults.Ok(Response(view, accepted, deduplicated, view.Sealed ? [] : await batch.MissingAsync(100)));

        async Task<ProblemHttpResult?> Settle(Outcome<ItemsAccepted> outcome)
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

    private static async Task<Results<Ok<BatchView>, ProblemHttpResult>> GetAsync(string id, [AsParameters] TenantCall call)
    {
        var view = ExecutionIds.IsValid(id) ? await call.Grain<IBatchGrain>(id).GetAsync() : null;
        return view is null ? NotFound(id) : TypedResults.Ok(view);
    }

    private static async Task<Results<Ok<ChildrenPage>, ProblemHttpResult>> ChildrenAsync(string id, [AsParameters] TenantCall call,
        [FromQuery, IntegerQuery(1, Maximum = MaxPage)] string? limit, [FromQuery] string? cursor)
    {
        var view = ExecutionIds.IsValid(id) ? await call.Grain<IBatchGrain>(id).PeekAsync() : null;
        if (view is null)
        {
            return NotFound(id);
        }
        var (pageSize, limitError) = QueryInt.Parse(limit, "limit", 1, MaxPage, DefaultPage);
        if (limitError is not null)
        {
            return limitError;
        }
        var page = await call.Grains.Grain<IExecutionQueryGrain>(IExecutionQueryGrain.Key)
            .ListBatchChildrenAsync(call.Caller.Tenant, call.Caller.Project, id, string.IsNullOrEmpty(cursor) ? null : cursor, pageSize);
        return page.IsSuccess ? TypedResults.Ok(new ChildrenPage(page.Value!.Items, page.Value.NextCursor)) : ProblemCatalog.For(page.Rejection!);
    }

    /// <summary>The batch's events: a JSON page, or a server-sent event stream written by <see cref="EventStreamer"/> (<c>EmptyHttpResult</c>).</summary>
    private static async Task<Results<Ok<EventPageView>, EmptyHttpResult, ProblemHttpResult>> EventsAsync(string id, [AsParameters] TenantCall call,
        [AsParameters] EventStreamQuery query, EventStreamer streamer)
    {
        var batch = ExecutionIds.IsValid(id) ? call.Grain<IBatchGrain>(id) : null;
        var view = batch is null ? null : await batch.PeekAsync();
        if (view is null)
        {
            return NotFound(id);
        }
        return await streamer.ServeAsync(call.Http, query, batch!.GetGrainId(), view.LastEventSeq,
            view.Status >= BatchStatus.Completed, type => type is "completed" or "partial_failed" or "failed" or "aborted");
    }

    private static Task<Results<Ok<BatchView>, ProblemHttpResult>> CancelAsync(string id, [AsParameters] TenantCall call, OptionalJson<ReasonRequest> body) =>
        SwitchAsync(id, call, body.Value, (batch, reason) => batch.CancelAsync(new CancelBatch(reason)));

    private static Task<Results<Ok<BatchView>, ProblemHttpResult>> PauseAsync(string id, [AsParameters] TenantCall call, OptionalJson<ReasonRequest> body) =>
        SwitchAsync(id, call, body.Value, (batch, reason) => batch.PauseAsync(new PauseBatch(reason)));

    private static Task<Results<Ok<BatchView>, ProblemHttpResult>> ResumeAsync(string id, [AsParameters] TenantCall call, OptionalJson<ReasonRequest> body) =>
        SwitchAsync(id, call, body.Value, (batch, reason) => batch.ResumeAsync(new ResumeBatch(reason)));

    /// <summary>An operator's switch on one of the caller's batches: 200 with the batch, also when nothing changed.</summary>
    private static async Task<Results<Ok<BatchView>, ProblemHttpResult>> SwitchAsync(string id, TenantCall call, ReasonRequest request,
        Func<IBatchGrain, string?, Task<Outcome<BatchView>>> flip)
    {
        if (request.Validate() is { } invalid)
        {
            return ProblemCatalog.For(invalid);
        }
        if (!ExecutionIds.IsValid(id))
        {
            return NotFound(id);
        }
        var outcome = await flip(call.Grain<IBatchGrain>(id), request.Reason);
        return outcome.IsSuccess ? TypedResults.Ok(outcome.Value)
            : outcome.Rejection!.Code == ErrorCodes.NotFound ? NotFound(id) : ProblemCatalog.For(outcome.Rejection);
    }

    /// <summary>Deletes a terminal batch: 404 from then on; its children go in the background.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, [AsParameters] TenantCall call) =>
        !ExecutionIds.IsValid(id) ? NotFound(id) : (await call.Grain<IBatchGrain>(id).DeleteAsync()).ToDeleted(() => NotFound(id));

    private static ProblemHttpResult NotFound(string id) => ProblemCatalog.For(ErrorCodes.NotFound, $"Batch '{id}' was not found.");
}
