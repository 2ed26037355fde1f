using Levee.Errors;
using Levee.Executions;
using Levee.Gateway.Auth;
using Levee.Gateway.Idempotency;
using Levee.Gateway.Json;
using Levee.Gateway.Problems;
using Levee.Gateway.Streams;
using Levee.Idempotency;
using Levee.Security;
using Levee.Streams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Levee.Gateway.Executions;

/// <summary>The Executions endpoints: HTTP in, grain call, HTTP out. No domain rules live here.</summary>
public static class ExecutionsApi
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 500;

    /// <summary>Maps <c>/v1/executions</c> and <c>/v1/events</c>.</summary>
    public static IEndpointRouteBuilder MapExecutionsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/executions").WithTags("Executions").WithMetadata(new RequiredScope(ApiScopes.Executions));
        group.MapPost("", CreateAsync);
        group.MapGet("", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapGet("/{id}/result", ResultAsync);
        group.MapPost("/{id}/status", WriteStatusAsync);
        group.MapPost("/{id}/output", AppendOutputAsync);
        group.MapPost("/{id}/cancel", CancelAsync);
        group.MapGet("/{id}/events", EventsAsync);
        routes.MapPost("/v1/events", ReportAsync).WithTags("Executions").WithMetadata(new RequiredScope(ApiScopes.Executions));
        return routes;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, Caller caller, IGrainFactory grains, Json<CreateExecutionRequest> body, TimeProvider clock)
    {
        var request = body.Value;
        var (key, keyError) = IdempotencyHeader.Read(http.Request);
        if (keyError is not null)
        {
            return keyError;
        }
        var command = new CreateExecution
        {
            Id = request.Id ?? ExecutionIds.New("exe", clock.GetUtcNow()),
            Task = request.Task ?? "",
            Queue = request.Queue ?? "default",
            Input = request.Input, Retry = request.Retry, Timeouts = request.Timeouts, DelayMs = request.DelayMs,
            ParentId = request.ParentId, Tags = request.Tags, Metadata = request.Metadata,
        };
        if (key is null)
        {
            // An id that cannot exist is refused here, before it reaches a grain key.
            return ExecutionIds.IsValid(command.Id)
                ? Created(await grains.Grain<IExecutionGrain>(caller.Key(command.Id)).CreateAsync(command))
                : ProblemCatalog.For(command.Validate()!);
        }
        var result = await grains.Grain<IIdempotencyGrain>(caller.Key(key))
            .CreateExecutionAsync(command, idChosenByClient: request.Id is not null);
        if (result.Replayed)
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
        }
        return Created(result.Outcome);
    }

    private static IResult Created(Outcome<ExecutionView> outcome) => outcome.Kind switch
    {
        OutcomeKind.Applied => TypedResults.Created($"/v1/executions/{Uri.EscapeDataString(outcome.Value!.Id)}", outcome.Value),
        OutcomeKind.Unchanged => TypedResults.Ok(outcome.Value),
        _ => ProblemCatalog.For(outcome.Rejection!),
    };

    private static async Task<IResult> GetAsync(string id, Caller caller, IGrainFactory grains)
    {
        var view = ExecutionIds.IsValid(id) ? await grains.Grain<IExecutionGrain>(caller.Key(id)).GetAsync() : null;
        return view is null ? NotFound(id) : TypedResults.Ok(view);
    }

    private static async Task<IResult> ListAsync(HttpContext http, Caller caller, IGrainFactory grains)
    {
        var q = http.Request.Query;
        var limit = DefaultPageSize;
        if (q.TryGetValue("limit", out var limitText) && (!int.TryParse(limitText, out limit) || limit is < 1 or > MaxPageSize))
        {
            return ProblemCatalog.For(ErrorCodes.ValidationFailed, $"limit must be an integer from 1 to {MaxPageSize}.", "limit");
        }
        ExecutionStatus? status = null;
        if (q.TryGetValue("status", out var statusText))
        {
            if (!ExecutionStatusNames.TryParse(statusText, out var parsed))
            {
                return UnknownStatus(statusText.ToString(), "status");
            }
            status = parsed;
        }
        var query = new ExecutionListQuery(caller.Tenant, caller.Project, limit, NullIfEmpty(q["cursor"]))
        {
            Status = status, Task = NullIfEmpty(q["task"]), Queue = NullIfEmpty(q["queue"]), ParentId = NullIfEmpty(q["parentId"]),
            BatchId = NullIfEmpty(q["batchId"]),
        };
        var page = await grains.Grain<IExecutionQueryGrain>(IExecutionQueryGrain.Key).ListAsync(query);
        return page.IsSuccess ? TypedResults.Ok(page.Value) : ProblemCatalog.For(page.Rejection!);
    }

    /// <summary>
    /// Long-poll for the result: short grain reads, and in between a wait on the execution's
    /// notifications (never a grain call that waits), re-reading at least every second.
    /// </summary>
    private static async Task<IResult> ResultAsync(string id, HttpContext http, Caller caller, IGrainFactory grains, GrainWatchHub hub,
        IOptions<GatewayOptions> options, TimeProvider clock)
    {
        var waitMs = 0;
        var waitText = http.Request.Query["waitMs"];
        if (waitText.Count > 0 && (!int.TryParse(waitText, out waitMs) || waitMs < 0 || waitMs > options.Value.MaxResultWaitMs))
        {
            return ProblemCatalog.For(ErrorCodes.ValidationFailed, $"waitMs must be an integer from 0 to {options.Value.MaxResultWaitMs}.", "waitMs");
        }
        if (!ExecutionIds.IsValid(id))
        {
            return NotFound(id);
        }
        var grain = grains.Grain<IExecutionGrain>(caller.Key(id));
        var deadline = clock.GetUtcNow().AddMilliseconds(waitMs);
        using var watch = waitMs > 0 ? hub.Watch(grain.GetGrainId()) : null;
        if (watch is not null)
        {
            await watch.Ready.WaitAsync(http.RequestAborted);
        }
        while (true)
        {
            var seen = watch?.Version ?? 0;
            var view = await grain.GetAsync();
            if (view is null)
            {
                return NotFound(id);
            }
            var remaining = deadline - clock.GetUtcNow();
            if (view.Status.IsTerminal() || remaining <= TimeSpan.Zero || watch is null)
            {
                http.Response.Headers["Levee-Terminal"] = view.Status.IsTerminal() ? "true" : "false";
                return TypedResults.Ok(view);
            }
            await watch.WaitAsync(seen, remaining < WatchRenewal.ReRead ? remaining : WatchRenewal.ReRead, http.RequestAborted);
        }
    }

    private static async Task<IResult> WriteStatusAsync(string id, Caller caller, IGrainFactory grains, Json<StatusRequest> body)
    {
        var request = body.Value;
        if (!ExecutionStatusNames.TryParse(request.Status, out var status))
        {
            return UnknownStatus(request.Status, "status");
        }
        return await ExecutionCalls.CallAsync(grains, caller, id, g => g.WriteStatusAsync(new WriteStatus(status, request.LeaseId, request.Output, request.Error)));
    }

    private static async Task<IResult> ReportAsync(Caller caller, IGrainFactory grains, Json<EventsRequest> body, IOptions<GatewayOptions> options)
    {
        var request = body.Value;
        var items = request.Events ?? [];
        if (items.Count > options.Value.MaxEventsPerRequest)
        {
            return ProblemCatalog.For(ErrorCodes.PayloadTooLarge, $"At most {options.Value.MaxEventsPerRequest} events per request.", "events");
        }
        var reports = new (string Id, ReportEvent Report)[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
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
            reports[i] = (item.ExecutionId, new ReportEvent
            {
                Status = status, Type = item.Type, Attempt = item.Attempt, Seq = item.Seq, Output = item.Output, Error = item.Error,
                Data = item.Data, At = item.At,
            });
        }
        // Reports to different executions run concurrently (and share group commits); the reports
        // of one execution are sent one after the other, in request order (Orleans does not order
        // concurrent calls to one grain for us).
        var results = new ReportResult[reports.Length];
        await Task.WhenAll(reports.Select((r, i) => (Report: r, Index: i)).GroupBy(r => r.Report.Id, StringComparer.Ordinal).Select(async group =>
        {
            var grain = ExecutionIds.IsValid(group.Key) ? grains.Grain<IExecutionGrain>(caller.Key(group.Key)) : null;
            foreach (var (report, index) in group)
            {
                results[index] = grain is null ? ReportResult.Unknown : await grain.ReportAsync(report.Report);
            }
        }));
        return TypedResults.Accepted((string?)null, new EventsAccepted(
            results.Count(r => r == ReportResult.Applied), results.Count(r => r == ReportResult.Ignored), results.Count(r => r == ReportResult.Unknown)));
    }

    private static async Task<IResult> AppendOutputAsync(string id, Caller caller, IGrainFactory grains, Json<OutputRequest> body,
        IOptions<GatewayOptions> options)
    {
        var request = body.Value;
        var chunks = request.Chunks ?? [];
        if (chunks.Count == 0 || chunks.Count > options.Value.MaxOutputChunks)
        {
            return ProblemCatalog.For(ErrorCodes.ValidationFailed, $"chunks must hold 1 to {options.Value.MaxOutputChunks} items.", "chunks");
        }
        return await ExecutionCalls.CallAsync(grains, caller, id, g => g.AppendOutputAsync(new AppendOutput(chunks, request.LeaseId)),
            outcome => TypedResults.Accepted((string?)null, outcome.Value));
    }

    private static async Task<IResult> CancelAsync(string id, Caller caller, IGrainFactory grains, OptionalJson<CancelRequest> body)
    {
        var request = body.Value;
        return await ExecutionCalls.CallAsync(grains, caller, id, g => g.CancelAsync(new CancelExecution(request.Reason)));
    }

    private static async Task<IResult> EventsAsync(string id, HttpContext http, Caller caller, IGrainFactory grains, EventStreamer streamer)
    {
        var grain = ExecutionIds.IsValid(id) ? grains.Grain<IExecutionGrain>(caller.Key(id)) : null;
        var view = grain is null ? null : await grain.GetAsync();
        if (view is null)
        {
            return NotFound(id);
        }
        return await streamer.ServeAsync(http, grain!.GetGrainId(), view.LastEventSeq, view.Status.IsTerminal(), ExecutionEventTypes.IsTerminal);
    }

    private static IResult NotFound(string id) => ExecutionCalls.NotFound(id);

    private static IResult UnknownStatus(string? status, string field) =>
        ProblemCatalog.For(ErrorCodes.ValidationFailed,
            $"'{status}' is not a status; expected one of {string.Join(", ", ExecutionStatusNames.All)}.", field);

    private static string? NullIfEmpty(Microsoft.Extensions.Primitives.StringValues value) => value.Count == 0 || value[0] is "" ? null : value[0];
}
