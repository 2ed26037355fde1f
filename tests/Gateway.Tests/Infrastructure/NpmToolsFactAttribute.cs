using Levee.Gateway.Tests.OpenApi;

namespace Levee.Gateway.Tests.Infrastructure;

/// <summary>
/// A fact that needs the npm tools of <c>tests/openapi</c> (installed by <c>npm ci</c> there, as
/// <c>.ci/run</c> does): reported as skipped, saying how to install them, where they are missing
/// on a developer's machine. Under <c>CI=true</c> it always runs, so a missing install fails the
/// run instead of passing it unchecked.
/// </summary>
public sealed class NpmToolsFactAttribute : FactAttribute
{
    public NpmToolsFactAttribute()
    {
        if (!OpenApiTools.Installed && !OpenApiTools.InCi)
        {
            Skip = $"The OpenAPI tools are not installed: run 'npm ci' in {OpenApiTools.Directory}.";
        }
    }
}
