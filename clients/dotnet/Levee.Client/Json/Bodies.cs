using System.Text.Json;

namespace Levee.Client.Json;

// The request bodies the client writes and the envelopes it reads: internal, because the public
// surface takes plain arguments (a body's fields are the method's parameters).

internal sealed record ClaimBody(string WorkerId, int Max, int WaitMs);

internal sealed record ClaimsEnvelope(IReadOnlyList<Claim> Claims);

internal sealed record LeaseBody(string LeaseId);

internal sealed record CompleteBody(string LeaseId, JsonElement? Output, decimal? Cost);

internal sealed record FailBody(string LeaseId, ExecutionError Error, bool Retryable, long? RetryAfterMs, decimal? Cost);

internal sealed record WaitBody(string LeaseId, string BatchId);

internal sealed record OutputBody(IReadOnlyList<JsonElement> Chunks, string? LeaseId);

internal sealed record ReasonBody(string? Reason);

internal sealed record EventsBody(IReadOnlyList<EventReport> Events);

internal sealed record ApprovalBody(string LeaseId, string ToolCallId, string Tool, JsonElement? Input, long? TimeoutMs);

internal sealed record DecisionBody(bool Approved, string? Reason);

internal sealed record CreateKeyBody(string Tenant, string Project, IReadOnlyList<string>? Scopes);

internal sealed record KeyList(IReadOnlyList<ApiKey> Items);

/// <summary>An RFC 9457 problem as the API writes it.</summary>
internal sealed record Problem(string? Type, string? Title, int? Status, string? Detail, string? Code, string? CurrentStatus, string? Field);
