using Levee.Errors;
using Levee.Gateway.OpenApi;
using Levee.Security;
using Microsoft.AspNetCore.Builder;

namespace Levee.Gateway.Auth;

/// <summary>Puts endpoints behind <see cref="ApiKeyMiddleware"/>.</summary>
public static class RequiredScopeExtensions
{
    /// <summary>
    /// Requires a key with <paramref name="scope"/>, and documents what the middleware answers
    /// otherwise: 401 and 403, and for tenant keys 429 (the admin key is never rate limited).
    /// </summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new RequiredScope(scope));
        return scope == ApiScopes.Admin
            ? builder.ProducesProblems(ErrorCodes.Unauthorized, ErrorCodes.Forbidden)
            : builder.ProducesProblems(ErrorCodes.Unauthorized, ErrorCodes.Forbidden, ErrorCodes.RateLimited);
    }
}
