namespace Levee.Gateway.Dashboard;

/// <summary>Body of <c>POST /v1/admin/session</c>.</summary>
/// <param name="Key">The admin key.</param>
public sealed record SignInRequest(string? Key);

/// <summary>A started session (its token is only in the HttpOnly cookie, never in a body).</summary>
/// <param name="ExpiresAt">When the session ends unless the browser signs out first.</param>
public sealed record SessionView(DateTimeOffset ExpiresAt);
