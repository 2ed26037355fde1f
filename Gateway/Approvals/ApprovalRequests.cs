using System.Text.Json;

namespace Levee.Gateway.Approvals;

/// <summary>Body of <c>POST /v1/executions/{id}/approvals</c>.</summary>
public sealed record ApprovalRequestBody(string? LeaseId, string? ToolCallId, string? Tool, JsonElement? Input = null, long? TimeoutMs = null);

/// <summary>Body of a decision.</summary>
public sealed record DecisionRequest(bool? Approved, string? Reason = null);
