namespace Levee.Gateway.OpenApi;

/// <summary>
/// Endpoint metadata: stable problem codes the endpoint can answer with. Several may sit on one
/// endpoint (its group's, its body's, its own); the document lists their union under each status.
/// </summary>
/// <param name="Codes">Values of <see cref="Levee.Errors.ErrorCodes"/>.</param>
public sealed record ProblemCodes(IReadOnlyList<string> Codes);
