namespace Levee.Gateway.OpenApi;

/// <summary>Endpoint metadata: example bodies (JSON text) for the document.</summary>
/// <param name="Request">The request body, or null.</param>
/// <param name="ResponseStatus">The status whose body <paramref name="Response"/> is.</param>
/// <param name="Response">The response body, or null.</param>
public sealed record OperationExamples(string? Request, int ResponseStatus, string? Response);
