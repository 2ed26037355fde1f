using Levee.Errors;
using Levee.Executions;
using Levee.Gateway.Auth;
using Levee.Gateway.Endpoints;
using Levee.Gateway.Json;
using Levee.Gateway.OpenApi;
using Levee.Gateway.Problems;
using Levee.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using static Levee.Gateway.Executions.ExecutionCalls;

namespace Levee.Gateway.Approvals;

/// <summary>Approvals (hooks): a worker suspends on a tool call; approvers decide by id or by token.</summary>
public static class ApprovalsApi
{
    /// <summary>Maps the approval endpoints.</summary>
    public static IEndpointRouteBuilder MapApprovalsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/executions/{id}/approvals", RequestAsync).WithTags("Approvals").RequireScope(ApiScopes.Workers)
            .WithName("requestApproval").WithSummary("Request an approval and suspend the execution")
            .WithDescription("201 with the hook token; the same `toolCallId` again is 200 with the same approval. Scope `workers`.")
            .ProducesProblems(ErrorCodes.ValidationFailed, ErrorCodes.NotFound, ErrorCodes.TerminalState, ErrorCodes.LeaseLost, ErrorCodes.IllegalTransition);
        routes.MapPost("/v1/executions/{id}/approvals/{toolCallId}", DecideAsync).WithTags("Approvals").RequireScope(ApiScopes.Executions)
            .WithName("decideApproval").WithSummary("Approve or deny a tool call")
            .ProducesProblems(ErrorCodes.ValidationFailed, ErrorCodes.NotFound, ErrorCodes.ApprovalConflict, ErrorCodes.TerminalState);
        routes.MapPost("/v1/hooks/{token}", DecideByTokenAsync).WithTags("Approvals").RequireScope(ApiScopes.Executions)
            .WithName("decideApprovalByToken").WithSummary("Approve or deny a tool call by its hook token")
            .ProducesProblems(ErrorCodes.ValidationFailed, ErrorCodes.NotFound, ErrorCodes.ApprovalConflict, ErrorCodes.TerminalState);
        return routes;
    }

    private static async Task<Results<Created<ApprovalRequestView>, Ok<ApprovalRequestView>, ProblemHttpResult>> RequestAsync(string id,
        [AsParameters] TenantCall call, Json<ApprovalRequestBody> body)
    {
        var request = body.Value;
        // The decider checks the fields (RequestApproval.Validate); missing ones go to it empty.
        var command = new RequestApproval(request.LeaseId ?? "", request.ToolCallId ?? "", request.Tool ?? "", request.Input, request.TimeoutMs);
        return (await CallAsync(call, id, g => g.RequestApprovalAsync(command)))
            .ToCreated(_ => $"/v1/executions/{Uri.EscapeDataString(id)}/approvals/{command.ToolCallId}");
    }

    private static Task<Results<Ok<ApprovalDecisionView>, ProblemHttpResult>> DecideAsync(string id, string toolCallId, [AsParameters] TenantCall call,
        Json<DecisionRequest> body) =>
        DecideCoreAsync(id, toolCallId, call, body);

    private static async Task<Results<Ok<ApprovalDecisionView>, ProblemHttpResult>> DecideByTokenAsync(string token, [AsParameters] TenantCall call,
        Json<DecisionRequest> body)
    {
        var colon = token.LastIndexOf(':');
        if (colon <= 0)
        {
            return ProblemCatalog.For(ErrorCodes.NotFound, $"Hook '{token}' was not found.");
        }
        return await DecideCoreAsync(token[..colon], token[(colon + 1)..], call, body);
    }

    private static async Task<Results<Ok<ApprovalDecisionView>, ProblemHttpResult>> DecideCoreAsync(string id, string toolCallId, TenantCall call,
        Json<DecisionRequest> body)
    {
        var request = body.Value;
        if (request.Approved is not { } approved)
        {
            return ProblemCatalog.For(ErrorCodes.ValidationFailed, "approved (true or false) is required.", "approved");
        }
        if (!RequestApproval.IsValidToolCallId(toolCallId))
        {
            return ProblemCatalog.For(ErrorCodes.NotFound, $"Approval '{toolCallId}' was not found.");
        }
        return (await CallAsync(call, id, g => g.DecideApprovalAsync(new DecideApproval(toolCallId, approved, request.Reason)))).ToOk();
    }
}
