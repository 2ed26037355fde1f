namespace Levee.Gateway.Json;

/// <summary>
/// The optional <c>{reason?}</c> body of an operator's switch: <c>POST /v1/batches/{id}/cancel</c>,
/// <c>…/pause</c>, <c>…/resume</c> and <c>POST /v1/queues/{queue}/pause</c>, <c>…/resume</c>.
/// </summary>
public sealed record ReasonRequest(string? Reason = null) : IOptionalBody<ReasonRequest>
{
    /// <summary>Longest reason kept.</summary>
    public const int MaxReasonLength = 1000;

    /// <inheritdoc />
    public static ReasonRequest Empty { get; } = new((string?)null);

    /// <summary>Null, or the problem with the reason.</summary>
    public Levee.Errors.Rejection? Validate() =>
        Reason is { Length: > MaxReasonLength } ? Levee.Errors.Rejection.Invalid("reason", $"reason must be at most {MaxReasonLength} characters.") : null;
}
