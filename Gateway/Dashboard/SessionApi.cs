using Levee.Errors;
using Levee.Gateway.Auth;
using Levee.Gateway.Json;
using Levee.Gateway.OpenApi;
using Levee.Gateway.Problems;
using Levee.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Levee.Gateway.Dashboard;

/// <summary>
/// Signing the dashboard in and out: the admin key once, then an HttpOnly cookie, because an
/// <c>EventSource</c> cannot send an <c>Authorization</c> header.
/// </summary>
public static class SessionApi
{
    /// <summary>Maps <c>POST</c> and <c>DELETE /v1/admin/session</c> (both without a key: the body or the cookie is the credential).</summary>
    public static IEndpointRouteBuilder MapSessionApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/admin/session").WithTags("Admin");
        group.MapPost("", SignInAsync).WithName("createAdminSession").WithSummary("Sign the dashboard in with the admin key")
            .WithDescription($"Sets the `{DashboardSessions.CookieName}` cookie (HttpOnly, SameSite=Strict, Path=/, `Levee:Dashboard:SessionMinutes` "
                + "long, 60 by default), which the admin endpoints then accept instead of a bearer key. A wrong key is 401, a tenant key 403.")
            .ProducesProblems(ErrorCodes.ValidationFailed, ErrorCodes.Unauthorized, ErrorCodes.Forbidden);
        group.MapDelete("", SignOut).WithName("deleteAdminSession").WithSummary("Sign the dashboard out")
            .WithDescription("Ends the cookie's session at once and clears the cookie; 204 also when there was none.");
        return routes;
    }

    private static async Task<Results<Ok<SessionView>, ProblemHttpResult>> SignInAsync(Json<SignInRequest> body, HttpContext http,
        ApiKeyCache keys, DashboardSessions sessions)
    {
        if (body.Value.Key is not { Length: > 0 } secret)
        {
            return ProblemCatalog.For(ErrorCodes.ValidationFailed, "key is required.", "key");
        }
        var hash = ApiKeySecrets.Hash(secret);
        var key = await keys.AuthenticateHashAsync(hash);
        if (key is null)
        {
            return ProblemCatalog.For(ErrorCodes.Unauthorized, "The key is unknown or revoked.");
        }
        if (!key.Scopes.Contains(ApiScopes.Admin))
        {
            return ProblemCatalog.For(ErrorCodes.Forbidden, "The dashboard needs the admin key; a tenant key cannot sign it in.");
        }
        EndCurrent(http, sessions);
        var (token, expiresAt) = sessions.Create(hash);
        http.Response.Cookies.Append(DashboardSessions.CookieName, token, Cookie(http, expiresAt));
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new SessionView(expiresAt));
    }

    private static NoContent SignOut(HttpContext http, DashboardSessions sessions)
    {
        EndCurrent(http, sessions);
        http.Response.Cookies.Delete(DashboardSessions.CookieName, Cookie(http, expiresAt: null));
        return TypedResults.NoContent();
    }

    private static void EndCurrent(HttpContext http, DashboardSessions sessions)
    {
        if (http.Request.Cookies[DashboardSessions.CookieName] is { Length: > 0 } token)
        {
            sessions.End(token);
        }
    }

    /// <summary>
    /// HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it: the CSRF
    /// defence of every admin endpoint that accepts it), Secure whenever the page came over HTTPS.
    /// </summary>
    private static CookieOptions Cookie(HttpContext http, DateTimeOffset? expiresAt) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        Path = "/",
        Expires = expiresAt,
        IsEssential = true,
    };
}
