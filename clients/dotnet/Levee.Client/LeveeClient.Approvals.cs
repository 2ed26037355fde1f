using System.Text.Json;
using Levee.Client.Http;
using Levee.Client.Json;

namespace Levee.Client;

public sealed partial class LeveeClient
{
    /// <summary>
    /// The lease holder asks for approval of a tool call: the execution becomes <c>waiting</c> and
    /// the lease is released. The same <paramref name="toolCallId"/> again returns the same approval.
    /// </summary>
    public Task<ApprovalTicket> RequestApprovalAsync(string id, string leaseId, string toolCallId, string tool, JsonElement? input = null,
        TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var body = new ApprovalBody(leaseId, toolCallId, tool, input, timeout is { } t ? (long)t.TotalMilliseconds : null);
        return SendAsync(Post($"/v1/executions/{Escape(id)}/approvals", body, Json.ApprovalBody).Retryable(), Json.ApprovalTicket, cancellationToken);
    }

    /// <summary>Decides an approval; the first decision wins (409 <c>approval_conflict</c> for a different one).</summary>
    public Task<ApprovalDecision> DecideApprovalAsync(string id, string toolCallId, bool approved, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(Post($"/v1/executions/{Escape(id)}/approvals/{Escape(toolCallId)}", new DecisionBody(approved, reason), Json.DecisionBody).Retryable(),
            Json.ApprovalDecision, cancellationToken);

    /// <summary>Decides an approval by its hook token (<c>{executionId}:{toolCallId}</c>).</summary>
    public Task<ApprovalDecision> DecideHookAsync(string token, bool approved, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(Post($"/v1/hooks/{Escape(token)}", new DecisionBody(approved, reason), Json.DecisionBody).Retryable(), Json.ApprovalDecision, cancellationToken);
}
