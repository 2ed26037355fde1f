using Levee.Errors;
using Levee.Executions;
using Levee.Gateway.Auth;
using Levee.Gateway.Json;
using Levee.Gateway.Problems;
using Levee.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Levee.Gateway.Executions.ExecutionCalls;

namespace Levee.Gateway.Approvals;

/// <summary>Approvals (hooks): a worker suspends on a tool call; approvers decide by id or by token.</summary>
public static class ApprovalsApi
{
    /// <summary>Maps the approval endpoints.</summary>
    public static IEndpointRouteBuilder MapApprovalsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/executions/{id}/approvals", RequestAsync).WithTags("Approvals").WithMetadata(new RequiredScope(ApiScopes.Workers));
        routes.MapPost("/v1/executions/{id}/approvals/{toolCallId}", DecideAsync).WithTags("Approvals").WithMetadata(new RequiredScope(ApiScopes.Executions));
        routes.MapPost("/v1/hooks/{token}", DecideByTokenAsync).WithTags("Approvals").WithMetadata(new RequiredScope(ApiScopes.Executions));
        return routes;
    }

    private static async Task<IResult> RequestAsync(string id, Caller caller, IGrainFactory grains, Json<ApprovalRequestBody> body)
    {
        var request = body.Value;
        // The decider checks the fields (RequestApproval.Validate); missing ones go to it empty.
        var command = new RequestApproval(request.LeaseId ?? "", request.ToolCallId ?? "", request.Tool ?? "", request.Input, request.TimeoutMs);
        return await CallAsync(grains, caller, id, g => g.RequestApprovalAsync(command), outcome => outcome.Kind == OutcomeKind.Applied
            ? TypedResults.Created($"/v1/executions/{Uri.EscapeDataString(id)}/approvals/{command.ToolCallId}", outcome.Value)
            : TypedResults.Ok(outcome.Value));
    }

    private static Task<IResult> DecideAsync(string id, string toolCallId, Caller caller, IGrainFactory grains, Json<DecisionRequest> body) =>
        DecideCoreAsync(id, toolCallId, caller, grains, body);

    private static async Task<IResult> DecideByTokenAsync(string token, Caller caller, IGrainFactory grains, Json<DecisionRequest> body)
    {
        var colon = token.LastIndexOf(':');
        if (colon <= 0)
        {
            return ProblemCatalog.For(ErrorCodes.NotFound, $"Hook '{token}' was not found.");
        }
        return await DecideCoreAsync(token[..colon], token[(colon + 1)..], caller, grains, body);
    }

    private static async Task<IResult> DecideCoreAsync(string id, string toolCallId, Caller caller, IGrainFactory grains, Json<DecisionRequest> body)
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
        return await CallAsync(grains, caller, id, g => g.DecideApprovalAsync(new DecideApproval(toolCallId, approved, request.Reason)));
    }
}
