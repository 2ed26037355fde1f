using Levee.Errors;
using Levee.Gateway.Problems;
using Levee.Security;
using Microsoft.AspNetCore.Http;

namespace Levee.Gateway.Auth;

/// <summary>
/// Authenticates every endpoint that carries <see cref="RequiredScope"/>: missing or unknown key
/// = 401, key without the scope = 403. Keys are checked by the cluster (<see cref="ApiKeyCache"/>);
/// the admin scope is held only by the admin key the silos are configured with.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyCache keys)
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
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            await Reject(context, ErrorCodes.Unauthorized, "Send an API key as 'Authorization: Bearer <key>'.");
            return;
        }
        var key = await keys.AuthenticateAsync(header[7..].Trim());
        if (key is null)
        {
            await Reject(context, ErrorCodes.Unauthorized, "The API key is unknown or revoked.");
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
