namespace Levee.Gateway.Auth;

/// <summary>Endpoint metadata: the scope a key needs to call the endpoint.</summary>
/// <param name="Scope">One of <see cref="Levee.Security.ApiScopes"/>.</param>
public sealed record RequiredScope(string Scope);
