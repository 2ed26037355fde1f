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

    /// <summary>True for 1–128 characters of <c>A-Za-z0-9_-.</c> (no colon: the token is <c>{executionId}:{toolCallId}</c>).</summary>
    public static bool IsValidToolCallId(string? id) =>
        id is { Length: > 0 and <= 128 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    private static async Task<IResult> RequestAsync(string id, Caller caller, IGrainFactory grains, Json<ApprovalRequestBody> body)
    {
        var request = body.Value;
        var invalid = request.LeaseId is not { Length: > 0 } ? ("leaseId", "leaseId is required.")
            : !IsValidToolCallId(request.ToolCallId) ? ("toolCallId", "toolCallId must be 1-128 characters of A-Za-z0-9_-.")
            : string.IsNullOrWhiteSpace(request.Tool) || request.Tool.Length > 200 ? ("tool", "tool is required (at most 200 characters).")
            : request.TimeoutMs is <= 0 or > CreateExecution.MaxDurationMs ? ("timeoutMs", "timeoutMs must be positive and at most 30 days.")
            : ((string Field, string Detail)?)null;
        if (invalid is { } problem)
        {
            return ProblemCatalog.For(ErrorCodes.ValidationFailed, problem.Detail, problem.Field);
        }
        var command = new RequestApproval(request.LeaseId!, request.ToolCallId!, request.Tool!, request.Input, request.TimeoutMs);
        return await CallAsync(grains, caller, id, g => g.RequestApprovalAsync(command), outcome => outcome.Kind == OutcomeKind.Applied
            ? TypedResults.Created($"/v1/executions/{Uri.EscapeDataString(id)}/approvals/{command.ToolCallId}", outcome.Value)
            : TypedResults.Ok(outcome.Value));
    }

    private static Task<IResult> DecideAsync(string id, string toolCallId, Caller caller, IGrainFactory grains, Json<DecisionRequest> body) =>
        DecideCoreAsync(id, toolCallId, caller, grains, body);

    private static Task<IResult> DecideByTokenAsync(string token, Caller caller, IGrainFactory grains, Json<DecisionRequest> body)
    {
        var colon = token.LastIndexOf(':');
        return colon <= 0
            ? Task.FromResult(ProblemCatalog.For(ErrorCodes.NotFound, $"Hook '{token}' was not found."))
            : DecideCoreAsync(token[..colon], token[(colon + 1)..], caller, grains, body);
    }

    private static async Task<IResult> DecideCoreAsync(string id, string toolCallId, Caller caller, IGrainFactory grains, Json<DecisionRequest> body)
    {
        var request = body.Value;
        if (request.Approved is not { } approved)
        {
            return ProblemCatalog.For(ErrorCodes.ValidationFailed, "approved (true or false) is required.", "approved");
        }
        if (!IsValidToolCallId(toolCallId))
        {
            return ProblemCatalog.For(ErrorCodes.NotFound, $"Approval '{toolCallId}' was not found.");
        }
        return await CallAsync(grains, caller, id, g => g.DecideApprovalAsync(new DecideApproval(toolCallId, approved, request.Reason)));
    }
}
