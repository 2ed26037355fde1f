using Levee.Errors;
using Levee.Gateway.Admin;
using Levee.Gateway.Dashboard;
using Levee.Gateway.Problems;
using Levee.Security;
using Microsoft.AspNetCore.Http;

namespace Levee.Gateway.Auth;

/// <summary>
/// Authenticates every endpoint that carries <see cref="RequiredScope"/>: missing or unknown key
/// = 401, key without the scope = 403. Keys are checked by the cluster (<see cref="ApiKeyCache"/>);
/// the admin scope is held only by the admin key the silos are configured with. Without a bearer
/// header, a dashboard session cookie stands for the key it signed in with (<see cref="DashboardSessions"/>).
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyCache keys, DashboardSessions sessions)
{
    /// <summary>Runs the check.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var required = context.GetEndpoint()?.Metadata.GetMetadata<RequiredScope>();
        if (required is null)
        {
            await next(context);
            return;
        }
        var header = context.Request.Headers.Authorization.ToString();
        ApiKeyInfo? key;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7)
        {
            key = await keys.AuthenticateAsync(header[7..].Trim());
            if (key is null)
            {
                await Reject(context, ErrorCodes.Unauthorized, "The API key is unknown or revoked.");
                return;
            }
        }
        else if (header.Length == 0 && context.Request.Cookies[DashboardSessions.CookieName] is { Length: > 0 } token)
        {
            // The same answer for a session that never was, ended or expired, and one whose key was revoked since.
            key = sessions.Find(token) is { } hash ? await keys.AuthenticateHashAsync(hash) : null;
            if (key is null)
            {
                await Reject(context, ErrorCodes.Unauthorized, "The session is unknown or expired; sign in again.");
                return;
            }
        }
        else
        {
            await Reject(context, ErrorCodes.Unauthorized, "Send an API key as 'Authorization: Bearer <key>'.");
            return;
        }
        var isAdmin = key.Scopes.Contains(ApiScopes.Admin);
        if (isAdmin != (required.Scope == ApiScopes.Admin))
        {
            await Reject(context, ErrorCodes.Forbidden, isAdmin
                ? "The admin key manages keys and the cluster; use a tenant key for this endpoint."
                : $"The API key lacks the '{required.Scope}' scope.");
            return;
        }
        if (!key.Scopes.Contains(required.Scope))
        {
            await Reject(context, ErrorCodes.Forbidden, $"The API key lacks the '{required.Scope}' scope.");
            return;
        }
        if (!isAdmin)
        {
            context.Items[typeof(Caller)] = new Caller(key.Id, key.Tenant, key.Project, key.Scopes);
        }
        else if (context.GetEndpoint()?.Metadata.GetMetadata<TenantFromRoute>() is not null)
        {
            var tenant = context.Request.RouteValues[TenantFromRoute.Tenant] as string;
            var project = context.Request.RouteValues[TenantFromRoute.Project] as string;
            if (!AdminApi.IsValidName(tenant) || !AdminApi.IsValidName(project))
            {
                var field = AdminApi.IsValidName(tenant) ? TenantFromRoute.Project : TenantFromRoute.Tenant;
                await ProblemCatalog.For(ErrorCodes.ValidationFailed, $"{field} must be 1-64 characters of A-Za-z0-9_-.", field).ExecuteAsync(context);
                return;
            }
            // Reads only (see AdminTenantsApi), so the tenant scopes a handler may check are the read ones it needs.
            context.Items[typeof(Caller)] = new Caller(key.Id, tenant!, project!, ApiScopes.TenantScopes) { IsAdmin = true };
        }
        await next(context);
    }

    private static Task Reject(HttpContext context, string code, string detail)
    {
        if (code == ErrorCodes.Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }
        return ProblemCatalog.For(code, detail).ExecuteAsync(context);
    }
}
