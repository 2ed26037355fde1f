using Levee.Errors;
using Levee.Gateway.Auth;
using Levee.Gateway.Json;
using Levee.Gateway.OpenApi;
using Levee.Gateway.Problems;
using Levee.Quotas;
using Levee.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Levee.Gateway.Admin;

/// <summary>Tenant key management, for the admin key only.</summary>
public static class AdminApi
{
    /// <summary>Maps <c>/v1/admin/keys</c> and the usage reads (<c>/v1/admin/usage</c>, <c>/v1/admin/tenants/{tenant}/usage</c>).</summary>
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/admin/keys").WithTags("Admin").RequireScope(ApiScopes.Admin);
        group.MapPost("", CreateAsync).WithName("createApiKey").WithSummary("Create a tenant API key (its secret is shown only here)")
            .ProducesProblems(ErrorCodes.ValidationFailed);
        group.MapGet("", ListAsync).WithName("listApiKeys").WithSummary("List the API keys (no secrets)");
        group.MapDelete("/{id}", RevokeAsync).WithName("revokeApiKey").WithSummary("Revoke an API key at once")
            .ProducesProblems(ErrorCodes.NotFound);
        var admin = routes.MapGroup("/v1/admin").WithTags("Admin").RequireScope(ApiScopes.Admin);
        admin.MapGet("/usage", ListUsageAsync).WithName("listTenantUsage").WithSummary("Every tenant's storage usage");
        admin.MapGet("/tenants/{tenant}/usage", UsageAsync).WithName("getTenantUsage").WithSummary("One tenant's storage usage")
            .ProducesProblems(ErrorCodes.ValidationFailed);
        return routes;
    }

    /// <summary>True for 1–64 characters of <c>A-Za-z0-9_-.</c> (tenant and project names appear in grain keys).</summary>
    public static bool IsValidName(string? name) =>
        name is { Length: > 0 and <= 64 } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    private static IApiKeysGrain Keys(IGrainFactory grains) => grains.Grain<IApiKeysGrain>(IApiKeysGrain.Key);

    private static async Task<Results<Created<CreatedKey>, ProblemHttpResult>> CreateAsync(IGrainFactory grains, Json<CreateKeyRequest> body)
    {
        var request = body.Value;
        if (!IsValidName(request.Tenant))
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
        var created = await Keys(grains).CreateAsync(request.Tenant!, request.Project!, scopes.Distinct().ToArray());
        var info = created.Info;
        return TypedResults.Created($"/v1/admin/keys/{info.Id}",
            new CreatedKey(info.Id, created.Secret, info.Tenant, info.Project, info.Scopes, info.CreatedAt));
    }

    private static async Task<Ok<KeyList>> ListAsync(IGrainFactory grains) =>
        TypedResults.Ok(new KeyList((await Keys(grains).ListAsync()).Select(k => new KeyItem(k.Id, k.Tenant, k.Project, k.Scopes, k.CreatedAt)).ToArray()));

    private static ITenantUsageGrain Usage(IGrainFactory grains) => grains.Grain<ITenantUsageGrain>(ITenantUsageGrain.Key);

    private static async Task<Ok<UsageList>> ListUsageAsync(IGrainFactory grains) => TypedResults.Ok(new UsageList(await Usage(grains).ListAsync()));

    /// <summary>A tenant storing nothing reads as zero (the tenant of a key not yet used), not 404.</summary>
    private static async Task<Results<Ok<TenantUsageView>, ProblemHttpResult>> UsageAsync(string tenant, IGrainFactory grains) =>
        IsValidName(tenant)
            ? TypedResults.Ok(await Usage(grains).GetAsync(tenant))
            : ProblemCatalog.For(ErrorCodes.ValidationFailed, "tenant must be 1-64 characters of A-Za-z0-9_-.", "tenant");

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string id, IGrainFactory grains) =>
        await Keys(grains).RevokeAsync(id)
            ? TypedResults.NoContent()
            : ProblemCatalog.For(ErrorCodes.NotFound, $"Key '{id}' was not found or is already revoked.");
}
