using System.Security.Cryptography;
using System.Text;
using Levee.Errors;
using Levee.Gateway.Problems;
using Levee.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Levee.Gateway.Auth;

/// <summary>
/// Authenticates every endpoint that carries <see cref="RequiredScope"/>: missing or unknown key
/// = 401, key without the scope = 403. The admin scope is held only by the configured admin key.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, IApiKeyStore keys, IOptions<GatewayOptions> options)
{
    private readonly byte[]? _adminKey = options.Value.AdminKey is { Length: > 0 } admin ? Encoding.UTF8.GetBytes(admin) : null;

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
        var secret = header[7..].Trim();
        if (IsAdmin(secret))
        {
            if (required.Scope != ApiScopes.Admin)
            {
                await Reject(context, ErrorCodes.Forbidden, "The admin key manages keys and the cluster; use a tenant key for this endpoint.");
                return;
            }
            await next(context);
            return;
        }
        var key = await keys.AuthenticateAsync(secret, context.RequestAborted);
        if (key is null)
        {
            await Reject(context, ErrorCodes.Unauthorized, "The API key is unknown or revoked.");
            return;
        }
        if (!key.Scopes.Contains(required.Scope))
        {
            await Reject(context, ErrorCodes.Forbidden, $"The API key lacks the '{required.Scope}' scope.");
            return;
        }
        context.Items[typeof(Caller)] = new Caller(key.Tenant, key.Project, key.Scopes);
        await next(context);
    }

    private bool IsAdmin(string secret) =>
        _adminKey is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), _adminKey);

    private static Task Reject(HttpContext context, string code, string detail)
    {
        if (code == ErrorCodes.Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }
        return ProblemCatalog.For(code, detail).ExecuteAsync(context);
    }
}
