namespace Levee.Idempotency;

/// <summary>An Idempotency-Key being claimed for a request, written with the resource it creates.</summary>
/// <param name="Tenant">Scope: tenant.</param>
/// <param name="Project">Scope: project.</param>
/// <param name="Key">The client's key.</param>
/// <param name="RequestHash">Hash of the request, to detect reuse with another body.</param>
/// <param name="ResultId">The id of the resource the request created.</param>
/// <param name="ExpiresAt">After this the key may be used again.</param>
public sealed record IdempotencyClaim(string Tenant, string Project, string Key, string RequestHash, string ResultId, DateTimeOffset ExpiresAt);
