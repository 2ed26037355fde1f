using Levee.Errors;
using Levee.Gateway.Auth;
using Levee.Gateway.Json;
using Levee.Gateway.Problems;
using Levee.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Levee.Gateway.Admin;

/// <summary>Tenant key management, for the admin key only.</summary>
public static class AdminApi
{
    /// <summary>Maps <c>/v1/admin/keys</c>.</summary>
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/admin/keys").WithTags("Admin").WithMetadata(new RequiredScope(ApiScopes.Admin));
        group.MapPost("", CreateAsync);
        group.MapGet("", ListAsync);
        group.MapDelete("/{id}", RevokeAsync);
        return routes;
    }

    /// <summary>True for 1–64 characters of <c>A-Za-z0-9_-.</c> (tenant and project names appear in grain keys).</summary>
    public static bool IsValidName(string? name) =>
        name is { Length: > 0 and <= 64 } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    private static async Task<IResult> CreateAsync(HttpContext http, IApiKeyStore keys, JsonBody body)
    {
        var (request, error) = await body.ReadAsync(http.Request, GatewayJsonContext.Default.CreateKeyRequest);
        if (error is not null)
        {
            return error;
        }
        if (!IsValidName(request!.Tenant))
        {
            return ProblemCatalog.For(ErrorCodes.ValidationFailed, "tenant must be 1-64 characters of A-Za-z0-9_-.", "tenant");
        }
        if (!IsValidName(request.Project))
        {
            return ProblemCatalog.For(ErrorCodes.ValidationFailed, "project must be 1-64 characters of A-Za-z0-9_-.", "project");
        }
        var scopes = request.Scopes ?? ApiScopes.TenantScopes;
        if (scopes.Count == 0 || scopes.Any(s => !ApiScopes.TenantScopes.Contains(s)))
        {
            return ProblemCatalog.For(ErrorCodes.ValidationFailed,
                $"scopes must be a non-empty subset of {string.Join(", ", ApiScopes.TenantScopes)}.", "scopes");
        }
        var created = await keys.CreateAsync(request.Tenant!, request.Project!, scopes.Distinct().ToArray(), http.RequestAborted);
        var info = created.Info;
        return TypedResults.Created($"/v1/admin/keys/{info.Id}",
            new CreatedKey(info.Id, created.Secret, info.Tenant, info.Project, info.Scopes, info.CreatedAt));
    }

    private static async Task<IResult> ListAsync(HttpContext http, IApiKeyStore keys) =>
        TypedResults.Ok(new KeyList((await keys.ListAsync(http.RequestAborted))
            .Select(k => new KeyItem(k.Id, k.Tenant, k.Project, k.Scopes, k.CreatedAt)).ToArray()));

    private static async Task<IResult> RevokeAsync(string id, HttpContext http, IApiKeyStore keys) =>
        await keys.RevokeAsync(id, http.RequestAborted)
            ? TypedResults.NoContent()
            : ProblemCatalog.For(ErrorCodes.NotFound, $"Key '{id}' was not found or is already revoked.");
}
