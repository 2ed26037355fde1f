using Levee.Errors;
using Levee.Executions;
using Levee.Gateway.Auth;
using Levee.Gateway.Endpoints;
using Levee.Gateway.Health;
using Levee.Gateway.Idempotency;
using Levee.Gateway.Json;
using Levee.Gateway.OpenApi;
using Levee.Gateway.Problems;
using Levee.Gateway.RateLimits;
using Levee.Gateway.Streams;
using Levee.Idempotency;
using Levee.Security;
using System.Text.Json;
using Levee.Streams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Levee.Gateway.Executions;

/// <summary>The Executions endpoints: HTTP in, grain call, HTTP out. No domain rules live here.</summary>
public static class ExecutionsApi
{
    private const int DefaultPageSize = 50;
    internal const int MaxPageSize = 500;

    /// <summary>Maps <c>/v1/executions</c> and <c>/v1/events</c>.</summary>
    public static IEndpointRouteBuilder MapExecutionsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/executions").WithTags("Executions").RequireScope(ApiScopes.Executions);
        group.MapPost("", CreateAsync).WithName("createExecution").WithSummary("Create an execution")
            .WithDescription("201 with `Location`; the same id (or `Idempotency-Key`) with the same body again is 200, the original "
                + "(with `Idempotent-Replayed: true` for a key).")
            .ProducesProblems(ErrorCodes.ValidationFailed, ErrorCodes.AlreadyExists, ErrorCodes.IdempotencyKeyMismatch, ErrorCodes.QuotaExceeded)
            .WithExamples(ExecutionExamples.CreateRequest, StatusCodes.Status201Created, ExecutionExamples.Execution);
        group.MapExecutionReads(ReadRoutes.Tenant);
        group.MapGet("/{id}/result", ResultAsync).WithName("getExecutionResult").WithSummary("Wait for an execution's result")
            .WithDescription("Answers once the execution is terminal or `waitMs` (0 to 60000) has passed; `Levee-Terminal` says which.")
            .ProducesProblems(ErrorCodes.ValidationFailed, ErrorCodes.NotFound);
        group.MapPost("/{id}/status", WriteStatusAsync).WithName("writeExecutionStatus").WithSummary("Set an execution's status (strict)")
            .ProducesProblems(ErrorCodes.ValidationFailed, ErrorCodes.NotFound, ErrorCodes.TerminalState, ErrorCodes.IllegalTransition, ErrorCodes.LeaseLost);
        group.MapPost("/{id}/output", AppendOutputAsync).WithName("appendExecutionOutput").WithSummary("Append output chunks to an execution's stream")
            .ProducesProblems(ErrorCodes.ValidationFailed, ErrorCodes.NotFound, ErrorCodes.TerminalState, ErrorCodes.LeaseLost, ErrorCodes.QuotaExceeded);
        group.MapPost("/{id}/cancel", CancelAsync).WithName("cancelExecution").WithSummary("Cancel an execution")
            .ProducesProblems(ErrorCodes.NotFound, ErrorCodes.TerminalState);
        group.MapDelete("/{id}", DeleteAsync).WithName("deleteExecution").WithSummary("Delete a terminal execution with its log")
            .ProducesProblems(ErrorCodes.NotFound, ErrorCodes.NotTerminal, ErrorCodes.IllegalTransition);
        routes.MapPost("/v1/events", ReportAsync).WithTags("Executions").RequireScope(ApiScopes.Executions)
            .WithName("reportEvents").WithSummary("Report events, fire-and-forget")
            .WithDescription("At-least-once, any order: a late or duplicate event is ignored and counted, never refused.")
            .ProducesProblems(ErrorCodes.ValidationFailed, ErrorCodes.PayloadTooLarge);
        return routes;
    }

    /// <summary>Maps the reads (list, one, its events) on <paramref name="group"/>: a tenant's <c>/v1/executions</c> or the admin's copy of it.</summary>
    internal static RouteGroupBuilder MapExecutionReads(this RouteGroupBuilder group, ReadRoutes routes)
    {
        group.MapGet("", ListAsync).WithName(routes.Name("listExecutions")).WithSummary("List executions, newest first")
            .ProducesProblems(ErrorCodes.ValidationFailed);
        group.MapGet("/{id}", GetAsync).WithName(routes.Name("getExecution")).WithSummary("Get an execution")
            .ProducesProblems(ErrorCodes.NotFound);
        group.MapGet("/{id}/events", EventsAsync).WithName(routes.Name("getExecutionEvents")).WithSummary("Stream or page an execution's events")
            .ProducesEventStream().ProducesProblems(ErrorCodes.ValidationFailed, ErrorCodes.NotFound);
        return group;
    }

    private static async Task<Results<Created<ExecutionView>, Ok<ExecutionView>, ProblemHttpResult>> CreateAsync([AsParameters] TenantCall call,
        Json<CreateExecutionRequest> body)
    {
        var request = body.Value;
        var (key, keyError) = IdempotencyHeader.Read(call.Http.Request);
        if (keyError is not null)
        {
            return keyError;
        }
        var command = new CreateExecution
        {
            Id = request.Id ?? ExecutionIds.New("exe", call.Clock.GetUtcNow()),
            Task = request.Task ?? "",
            Queue = request.Queue ?? "default",
            Input = request.Input, Retry = request.Retry, Timeouts = request.Timeouts, DelayMs = request.DelayMs,
            ParentId = request.ParentId, Tags = request.Tags, Metadata = request.Metadata,
        };
        if (key is null)
        {
            // An id that cannot exist is refused here, before it reaches a grain key.
            return ExecutionIds.IsValid(command.Id)
                ? Created(await call.Grain<IExecutionGrain>(command.Id).CreateAsync(command))
                : ProblemCatalog.For(command.Validate()!);
        }
        var result = await call.Grain<IIdempotencyGrain>(key).CreateExecutionAsync(command, idChosenByClient: request.Id is not null);
        if (result.Replayed)
        {
            call.Http.Response.Headers["Idempotent-Replayed"] = "true";
        }
        return Created(result.Outcome);
    }

    private static Results<Created<ExecutionView>, Ok<ExecutionView>, ProblemHttpResult> Created(Outcome<ExecutionView> outcome) =>
        outcome.ToCreated(view => $"/v1/executions/{Uri.EscapeDataString(view.Id)}");

    private static async Task<Results<Ok<ExecutionView>, ProblemHttpResult>> GetAsync(string id, [AsParameters] TenantCall call)
    {
        var view = ExecutionIds.IsValid(id) ? await call.Grain<IExecutionGrain>(id).GetAsync() : null;
        return view is null ? NotFound(id) : TypedResults.Ok(view);
    }

    private static async Task<Results<Ok<Page<ExecutionView>>, ProblemHttpResult>> ListAsync([AsParameters] TenantCall call,
        [AsParameters] ExecutionListParameters q)
    {
        var (limit, limitError) = QueryInt.Parse(q.Limit, "limit", 1, MaxPageSize, DefaultPageSize);
        if (limitError is not null)
        {
            return limitError;
        }
        ExecutionStatus? status = null;
        if (q.Status is not null)
        {
            if (!ExecutionStatusNames.TryParse(q.Status, out var parsed))
            {
                return UnknownStatus(q.Status, "status");
            }
            status = parsed;
        }
        var query = new ExecutionListQuery(call.Caller.Tenant, call.Caller.Project, limit, NullIfEmpty(q.Cursor))
        {
            Status = status, Task = NullIfEmpty(q.Task), Queue = NullIfEmpty(q.Queue), ParentId = NullIfEmpty(q.ParentId),
            BatchId = NullIfEmpty(q.BatchId),
        };
        return (await call.Grains.Grain<IExecutionQueryGrain>(IExecutionQueryGrain.Key).ListAsync(query)).ToOk();
    }

    /// <summary>
    /// Long-poll for the result: short grain reads, and in between a wait on the execution's
    /// notifications (never a grain call that waits), re-reading at least every second.
    /// </summary>
    private static async Task<Results<Ok<ExecutionView>, ProblemHttpResult>> ResultAsync(string id, [AsParameters] TenantCall call,
        [FromQuery, IntegerQuery(0)] string? waitMs, GrainWatchHub hub, ConnectionLimits limits, ShutdownDrain drain)
    {
        var (wait, waitError) = QueryInt.Parse(waitMs, "waitMs", 0, call.Limits.MaxResultWaitMs, 0);
        if (waitError is not null)
        {
            return waitError;
        }
        if (!ExecutionIds.IsValid(id))
        {
            return NotFound(id);
        }
        var http = call.Http;
        using var slot = wait > 0 ? limits.Open(ConnectionKind.LongPoll, http) : default;
        if (slot.Rejected is { } rejected)
        {
            return rejected;
        }
        var grain = call.Grain<IExecutionGrain>(id);
        var deadline = call.Clock.GetUtcNow().AddMilliseconds(wait);
        using var watch = wait > 0 ? hub.Watch(grain.GetGrainId()) : null;
        // A drain ends the wait early: the caller gets the execution as it is now (Levee-Terminal: false) and polls again elsewhere.
        using var waitEnds = drain.WaitEnds(http.RequestAborted);
        if (watch is not null)
        {
            await UnlessDrainedAsync(watch.Ready.WaitAsync(waitEnds.Token));
        }
        while (true)
        {
            var seen = watch?.Version ?? 0;
            var view = await grain.GetAsync();
            if (view is null)
            {
                return NotFound(id);
            }
            var remaining = deadline - call.Clock.GetUtcNow();
            if (view.Status.IsTerminal() || remaining <= TimeSpan.Zero || watch is null || drain.IsDraining)
            {
                http.Response.Headers["Levee-Terminal"] = view.Status.IsTerminal() ? "true" : "false";
                return TypedResults.Ok(view);
            }
            await UnlessDrainedAsync(watch.WaitAsync(seen, remaining < WatchRenewal.ReRead ? remaining : WatchRenewal.ReRead, waitEnds.Token));
        }

        // A wait the drain cut short returns (the loop then answers); a hang-up still throws.
        async Task UnlessDrainedAsync(Task waiting)
        {
            try
            {
                await waiting;
            }
            catch (OperationCanceledException) when (drain.CutShort(http.RequestAborted))
            {
                // Drained: the loop answers with the execution as it is now.
            }
        }
    }

    private static async Task<Results<Ok<ExecutionView>, ProblemHttpResult>> WriteStatusAsync(string id, [AsParameters] TenantCall call,
        Json<StatusRequest> body)
    {
        var request = body.Value;
        if (!ExecutionStatusNames.TryParse(request.Status, out var status))
        {
            return UnknownStatus(request.Status, "status");
        }
        var command = new WriteStatus(status, request.LeaseId, request.Output, request.Error);
        return (await ExecutionCalls.CallAsync(call, id, g => g.WriteStatusAsync(command))).ToOk();
    }

    private static async Task<Results<Accepted<EventsAccepted>, ProblemHttpResult>> ReportAsync([AsParameters] TenantCall call, Json<EventsRequest> body)
    {
        var request = body.Value;
        var items = request.Events ?? [];
        var max = call.Limits.MaxEventsPerRequest;
        if (items.Count > max)
        {
            return ProblemCatalog.For(ErrorCodes.PayloadTooLarge, $"At most {max} events per request.", "events");
        }
        var reports = new (string Id, ReportEvent Report)[items.Count];
        var costsIgnored = 0;
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not { } item)
            {
                return ProblemCatalog.For(ErrorCodes.ValidationFailed, $"events[{i}] must be an object.", $"events[{i}]");
            }
            ExecutionStatus? status = null;
            if (item.Status is not null)
            {
                if (!ExecutionStatusNames.TryParse(item.Status, out var parsed))
                {
                    return UnknownStatus(item.Status, $"events[{i}].status");
                }
                status = parsed;
            }
            if (string.IsNullOrEmpty(item.ExecutionId))
            {
                return ProblemCatalog.For(ErrorCodes.ValidationFailed, $"events[{i}].executionId is required.", $"events[{i}].executionId");
            }
            // Fire-and-forget: a bad cost does not refuse the batch of events; it is dropped and counted.
            decimal? cost = null;
            if (item.Cost is { } costValue)
            {
                if (costValue.ValueKind == JsonValueKind.Number && costValue.TryGetDecimal(out var parsedCost) && Costs.Validate(parsedCost) is null)
                {
                    cost = parsedCost;
                }
                else
                {
                    costsIgnored++;
                }
            }
            reports[i] = (item.ExecutionId, new ReportEvent
            {
                Status = status, Type = item.Type, Attempt = item.Attempt, Seq = item.Seq, Output = item.Output, Error = item.Error,
                Data = item.Data, At = item.At, Cost = cost,
            });
        }
        // Reports to different executions run concurrently (and share group commits); the reports
        // of one execution are sent one after the other, in request order (Orleans does not order
        // concurrent calls to one grain for us).
        var results = new ReportResult[reports.Length];
        await Task.WhenAll(reports.Select((r, i) => (Report: r, Index: i)).GroupBy(r => r.Report.Id, StringComparer.Ordinal).Select(async group =>
        {
            var grain = ExecutionIds.IsValid(group.Key) ? call.Grain<IExecutionGrain>(group.Key) : null;
            foreach (var (report, index) in group)
            {
                results[index] = grain is null ? ReportResult.Unknown : await grain.ReportAsync(report.Report);
            }
        }));
        return TypedResults.Accepted((string?)null, new EventsAccepted(
            results.Count(r => r == ReportResult.Applied), results.Count(r => r == ReportResult.Ignored), results.Count(r => r == ReportResult.Unknown), costsIgnored));
    }

    private static async Task<Results<Accepted<OutputRange>, ProblemHttpResult>> AppendOutputAsync(string id, [AsParameters] TenantCall call,
        Json<OutputRequest> body)
    {
        var request = body.Value;
        var chunks = request.Chunks ?? [];
        var max = call.Limits.MaxOutputChunks;
        if (chunks.Count == 0 || chunks.Count > max)
        {
            return ProblemCatalog.For(ErrorCodes.ValidationFailed, $"chunks must hold 1 to {max} items.", "chunks");
        }
        return (await ExecutionCalls.CallAsync(call, id, g => g.AppendOutputAsync(new AppendOutput(chunks, request.LeaseId)))).ToAccepted();
    }

    /// <summary>Deletes a terminal execution with its log: 404 from then on.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, [AsParameters] TenantCall call) =>
        !ExecutionIds.IsValid(id) ? ExecutionCalls.NotFound(id)
        : (await call.Grain<IExecutionGrain>(id).DeleteAsync()).ToDeleted(() => ExecutionCalls.NotFound(id));

    private static async Task<Results<Ok<ExecutionView>, ProblemHttpResult>> CancelAsync(string id, [AsParameters] TenantCall call,
        OptionalJson<CancelRequest> body)
    {
        var request = body.Value;
        return (await ExecutionCalls.CallAsync(call, id, g => g.CancelAsync(new CancelExecution(request.Reason)))).ToOk();
    }

    /// <summary>
    /// The execution's events: a JSON page (<c>Ok</c>), or a server-sent event stream that
    /// <see cref="EventStreamer"/> writes to the response itself (<c>EmptyHttpResult</c>: nothing
    /// is left to write once it returns).
    /// </summary>
    private static async Task<Results<Ok<EventPageView>, EmptyHttpResult, ProblemHttpResult>> EventsAsync(string id, [AsParameters] TenantCall call,
        [AsParameters] EventStreamQuery query, EventStreamer streamer)
    {
        var grain = ExecutionIds.IsValid(id) ? call.Grain<IExecutionGrain>(id) : null;
        var view = grain is null ? null : await grain.GetAsync();
        if (view is null)
        {
            return NotFound(id);
        }
        return await streamer.ServeAsync(call.Http, query, grain!.GetGrainId(), view.LastEventSeq, view.Status.IsTerminal(), ExecutionEventTypes.IsTerminal);
    }

    private static ProblemHttpResult NotFound(string id) => ExecutionCalls.NotFound(id);

    private static ProblemHttpResult UnknownStatus(string? status, string field) =>
        ProblemCatalog.For(ErrorCodes.ValidationFailed,
            $"'{status}' is not a status; expected one of {string.Join(", ", ExecutionStatusNames.All)}.", field);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
