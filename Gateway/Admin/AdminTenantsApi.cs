using Levee.Batches;
using Levee.Errors;
using Levee.Executions;
using Levee.Gateway.Auth;
using Levee.Gateway.Batches;
using Levee.Gateway.Endpoints;
using Levee.Gateway.Executions;
using Levee.Gateway.OpenApi;
using Levee.Queues;
using Levee.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Levee.Gateway.Admin;

/// <summary>
/// The admin's cross-tenant reads, what the dashboard shows: <c>/v1/admin/tenants/{tenant}/projects/{project}/…</c>.
/// The executions' and batches' reads are the tenant endpoints' own handlers (<see cref="TenantFromRoute"/>);
/// the queue and batch lists are the admin's only.
/// </summary>
public static class AdminTenantsApi
{
    /// <summary>Most batches the in-flight list holds (each is one grain read).</summary>
    private const int MaxBatches = 20;

    /// <summary>Maps the routes under <c>/v1/admin/tenants/{tenant}/projects/{project}</c>.</summary>
    public static IEndpointRouteBuilder MapAdminTenantsApi(this IEndpointRouteBuilder routes)
    {
        var project = routes.MapGroup($"/v1/admin/tenants/{{{TenantFromRoute.Tenant}}}/projects/{{{TenantFromRoute.Project}}}")
            .WithTags("Admin").RequireScope(ApiScopes.Admin).WithMetadata(TenantFromRoute.Instance)
            .ProducesProblems(ErrorCodes.ValidationFailed);
        project.MapGroup("/executions").MapExecutionReads(ReadRoutes.Admin);
        project.MapGroup("/batches").MapBatchReads(ReadRoutes.Admin);
        project.MapGet("/batches", ListBatchesAsync).WithName("adminListBatchesInFlight")
            .WithSummary($"The project's batches with children not finished yet, newest first (at most {MaxBatches})");
        project.MapGet("/queues", ListQueuesAsync).WithName("adminListQueues")
            .WithSummary("The project's queues with queued work: depth, ready now, the oldest ready item's age, claimers waiting on this gateway");
        return routes;
    }

    private static IExecutionQueryGrain Query(TenantCall call) => call.Grains.Grain<IExecutionQueryGrain>(IExecutionQueryGrain.Key);

    private static async Task<Ok<BatchList>> ListBatchesAsync([AsParameters] TenantCall call)
    {
        var ids = await Query(call).ListBatchesInFlightAsync(call.Caller.Tenant, call.Caller.Project, MaxBatches);
        var views = await Task.WhenAll(ids.Select(id => call.Grain<IBatchGrain>(id).GetAsync()));
        return TypedResults.Ok(new BatchList(views.OfType<BatchView>().ToArray()));
    }

    private static async Task<Ok<QueueList>> ListQueuesAsync([AsParameters] TenantCall call, QueueClaimer claimer)
    {
        var now = call.Clock.GetUtcNow();
        var queues = await Query(call).ListQueueDepthsAsync(call.Caller.Tenant, call.Caller.Project);
        var items = queues.Select(q => new QueueItem(q.Queue, q.Depth, q.Ready, q.OldestReadyAt,
            q.OldestReadyAt is { } at ? (long)Math.Max(0, (now - at).TotalMilliseconds) : null,
            claimer.Waiting(call.Caller.Key(q.Queue)))).ToArray();
        return TypedResults.Ok(new QueueList(items));
    }
}
