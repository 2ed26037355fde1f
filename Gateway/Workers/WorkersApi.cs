using Levee.Errors;
using Levee.Executions;
using Levee.Gateway.Health;
using Levee.Gateway.Auth;
using Levee.Gateway.Endpoints;
using Levee.Gateway.Executions;
using Levee.Gateway.Json;
using Levee.Gateway.OpenApi;
using Levee.Gateway.Problems;
using Levee.Gateway.RateLimits;
using Levee.Queues;
using Levee.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Levee.Gateway.Workers;

/// <summary>The worker protocol: claim (long-poll), heartbeat, complete, fail, release. Every write is fenced by its lease.</summary>
public static class WorkersApi
{
    /// <summary>Most executions in one claim.</summary>
    public const int MaxClaim = 100;
    /// <summary>Longest claim long-poll.</summary>
    public const int MaxWaitMs = 30_000;

    /// <summary>A failure without an error: the decider refuses it, naming <c>error.message</c>.</summary>
    private static readonly ExecutionError NoError = new("");

    /// <summary>Maps the worker endpoints.</summary>
    public static IEndpointRouteBuilder MapWorkersApi(this IEndpointRouteBuilder routes)
    {
        var queues = routes.MapGroup("/v1/queues/{queue}").WithTags("Workers").RequireScope(ApiScopes.Workers);
        queues.MapPost("/claim", ClaimAsync).WithName("claimExecutions").WithSummary("Claim executions from a queue (long poll)")
            .WithDescription("Answers at once with what is claimable, or waits up to `waitMs` for the first; an empty `claims` when nothing came.")
            .ProducesProblems(ErrorCodes.ValidationFailed)
            .WithExamples(WorkerExamples.ClaimRequest, StatusCodes.Status200OK, WorkerExamples.Claims);
        queues.MapPost("/pause", PauseQueueAsync).WithName("pauseQueue").WithSummary("Pause a queue: claims hand out nothing from it")
            .ProducesProblems(ErrorCodes.ValidationFailed);
        queues.MapPost("/resume", ResumeQueueAsync).WithName("resumeQueue").WithSummary("Resume a paused queue")
            .ProducesProblems(ErrorCodes.ValidationFailed);
        // Every write of a lease holder: the lease fences it, and a terminal execution refuses it.
        var group = routes.MapGroup("/v1/executions/{id}").WithTags("Workers").RequireScope(ApiScopes.Workers)
            .ProducesProblems(ErrorCodes.ValidationFailed, ErrorCodes.NotFound, ErrorCodes.TerminalState, ErrorCodes.LeaseLost);
        group.MapPost("/heartbeat", HeartbeatAsync).WithName("heartbeatExecution").WithSummary("Extend a lease; learn of a cancel");
        group.MapPost("/complete", CompleteAsync).WithName("completeExecution").WithSummary("Complete an execution with its output")
            .WithExamples(WorkerExamples.CompleteRequest, StatusCodes.Status200OK, WorkerExamples.Completed);
        group.MapPost("/fail", FailAsync).WithName("failExecution").WithSummary("Fail an attempt: retry later or fail for good");
        group.MapPost("/release", ReleaseAsync).WithName("releaseExecution").WithSummary("Give a claimed execution back unfinished: requeued at once")
            .WithDescription("For a worker shutting down: the execution is queued again, due now, and its next claim continues the same attempt "
                + "(a release uses up no attempt). The same lease again returns the same result until someone claims it.");
        group.MapPost("/wait", WaitAsync).WithName("waitForBatch").WithSummary("Suspend an execution until a batch is terminal")
            .ProducesProblems(ErrorCodes.IllegalTransition);
        return routes;
    }

    private static Task<Results<Ok<QueueView>, ProblemHttpResult>> PauseQueueAsync(string queue, [AsParameters] TenantCall call,
        OptionalJson<ReasonRequest> body) =>
        SwitchQueueAsync(queue, call, body.Value, (grain, reason) => grain.PauseAsync(reason));

    private static Task<Results<Ok<QueueView>, ProblemHttpResult>> ResumeQueueAsync(string queue, [AsParameters] TenantCall call,
        OptionalJson<ReasonRequest> body) =>
        SwitchQueueAsync(queue, call, body.Value, (grain, reason) => grain.ResumeAsync(reason));

    /// <summary>The operator's switch on one of the caller's queues (any valid name, also one never used): 200 <c>{queue, paused}</c>.</summary>
    private static async Task<Results<Ok<QueueView>, ProblemHttpResult>> SwitchQueueAsync(string queue, TenantCall call, ReasonRequest request,
        Func<IQueueControlGrain, string?, Task<QueueView>> flip)
    {
        if (!ExecutionIds.IsValid(queue))
        {
            return InvalidQueue();
        }
        if (request.Validate() is { } invalid)
        {
            return ProblemCatalog.For(invalid);
        }
        return TypedResults.Ok(await flip(call.Grain<IQueueControlGrain>(queue), request.Reason));
    }

    private static ProblemHttpResult InvalidQueue() =>
        ProblemCatalog.For(ErrorCodes.ValidationFailed, "queue must be 1-128 characters of A-Za-z0-9_-.:", "queue");

    private static async Task<Results<Ok<ClaimsResponse>, EmptyHttpResult, ProblemHttpResult>> ClaimAsync(string queue, [AsParameters] TenantCall call,
        QueueClaimer queues, ConnectionLimits limits, ShutdownDrain drain, Json<ClaimRequest> body)
    {
        var request = body.Value;
        if (!ExecutionIds.IsValid(queue))
        {
            return InvalidQueue();
        }
        if (string.IsNullOrWhiteSpace(request.WorkerId) || request.WorkerId.Length > 200)
        {
            return ProblemCatalog.For(ErrorCodes.ValidationFailed, "workerId is required (at most 200 characters).", "workerId");
        }
        if (request.Max is < 1 or > MaxClaim)
        {
            return ProblemCatalog.For(ErrorCodes.ValidationFailed, $"max must be between 1 and {MaxClaim}.", "max");
        }
        if (request.WaitMs is < 0 or > MaxWaitMs)
        {
            return ProblemCatalog.For(ErrorCodes.ValidationFailed, $"waitMs must be between 0 and {MaxWaitMs}.", "waitMs");
        }
        using var slot = request.WaitMs > 0 ? limits.Open(ConnectionKind.LongPoll, call.Http) : default;
        if (slot.Rejected is { } rejected)
        {
            return rejected;
        }
        var aborted = call.Http.RequestAborted;
        // A drain ends the wait like a hang-up does, but the worker is still there: it gets an
        // empty answer at once, and its next claim goes to a silo that is not stopping.
        using var waitEnds = drain.WaitEnds(aborted);
        try
        {
            var claims = await queues.ClaimAsync(call.Caller.Tenant, call.Caller.Project, queue, request.WorkerId, request.Max ?? 1,
                TimeSpan.FromMilliseconds(request.WaitMs ?? 0), waitEnds.Token);
            return TypedResults.Ok(new ClaimsResponse(claims));
        }
        catch (OperationCanceledException) when (drain.CutShort(aborted))
        {
            return TypedResults.Ok(new ClaimsResponse([])); // a claim round is never abandoned, so nothing was claimed after the cancel
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return TypedResults.Empty; // the worker hung up; nothing was claimed for it after that
        }
    }

    // Every command's fields are checked by the decider (Validate on the command): missing fields
    // go to it empty, as a create's do, so each rule has one place.
    private static async Task<Results<Ok<HeartbeatView>, ProblemHttpResult>> HeartbeatAsync(string id, [AsParameters] TenantCall call,
        Json<HeartbeatRequest> body)
    {
        var request = body.Value;
        return (await ExecutionCalls.CallAsync(call, id, g => g.HeartbeatAsync(new Heartbeat(request.LeaseId ?? "")))).ToOk();
    }

    private static async Task<Results<Ok<ExecutionView>, ProblemHttpResult>> CompleteAsync(string id, [AsParameters] TenantCall call,
        Json<CompleteRequest> body)
    {
        var request = body.Value;
        return (await ExecutionCalls.CallAsync(call, id, g => g.CompleteAsync(new CompleteExecution(request.LeaseId ?? "", request.Output, request.Cost)))).ToOk();
    }

    private static async Task<Results<Ok<ExecutionView>, ProblemHttpResult>> FailAsync(string id, [AsParameters] TenantCall call, Json<FailRequest> body)
    {
        var request = body.Value;
        var command = new FailExecution(request.LeaseId ?? "", request.Error ?? NoError, request.Retryable ?? true, request.RetryAfterMs, request.Cost);
        return (await ExecutionCalls.CallAsync(call, id, g => g.FailAsync(command))).ToOk();
    }

    private static async Task<Results<Ok<ExecutionView>, ProblemHttpResult>> ReleaseAsync(string id, [AsParameters] TenantCall call,
        Json<ReleaseRequest> body)
    {
        var request = body.Value;
        return (await ExecutionCalls.CallAsync(call, id, g => g.ReleaseAsync(new ReleaseExecution(request.LeaseId ?? "")))).ToOk();
    }

    /// <summary>
    /// Trigger-and-wait: the execution grain suspends and registers itself with the batch (through
    /// the outbox), which resumes it once it is terminal — at once if it already is.
    /// </summary>
    private static async Task<Results<Ok<ExecutionView>, ProblemHttpResult>> WaitAsync(string id, [AsParameters] TenantCall call, Json<WaitRequest> body)
    {
        var request = body.Value;
        var command = new WaitForBatch(request.LeaseId ?? "", request.BatchId ?? "");
        return (await ExecutionCalls.CallAsync(call, id, g => g.WaitForBatchAsync(command))).ToOk();
    }
}
