using System.Collections.Frozen;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Levee.Gateway.Dashboard;

/// <summary>
/// Levee's dashboard page: <c>GET /</c> and its script and styles under <c>/ui/</c>, embedded in
/// this assembly (no CDN, no build step, nothing fetched from elsewhere). The page is the same for
/// everyone, a sign-in shell; its data comes from the admin endpoints.
/// </summary>
public static class DashboardPage
{
    /// <summary>
    /// Only this origin's script and styles, no inline script, no framing: user text that slipped
    /// past the page's escaping still could not run.
    /// </summary>
    private const string ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    private static readonly FrozenDictionary<string, (byte[] Body, string ContentType)> Assets = new Dictionary<string, (byte[], string)>
    {
        ["index.html"] = (Read("index.html"), "text/html; charset=utf-8"),
        ["app.js"] = (Read("app.js"), "text/javascript; charset=utf-8"),
        ["app.css"] = (Read("app.css"), "text/css; charset=utf-8"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Maps <c>GET /</c> and <c>GET /ui/{file}</c>, outside the OpenAPI document (a page, not API).</summary>
    public static IEndpointRouteBuilder MapDashboardPage(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", (HttpContext http) => Serve(http, "index.html")).ExcludeFromDescription();
        routes.MapGet("/ui/{file}", (string file, HttpContext http) => Serve(http, file)).ExcludeFromDescription();
        return routes;
    }

    private static Results<FileContentHttpResult, NotFound> Serve(HttpContext http, string file)
    {
        if (!Assets.TryGetValue(file, out var asset))
        {
            return TypedResults.NotFound();
        }
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // Revalidated on every load, so a new version shows at once after an upgrade (the files are small).
        headers.CacheControl = "no-cache";
        return TypedResults.File(asset.Body, asset.ContentType);
    }

    private static byte[] Read(string name)
    {
        using var stream = typeof(DashboardPage).Assembly.GetManifestResourceStream("Levee.Dashboard." + name)
            ?? throw new InvalidOperationException($"The dashboard's {name} is not embedded — a build bug.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
