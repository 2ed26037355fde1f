using System.Net;
using System.Text;
using Levee.Gateway.Tests.Infrastructure;

namespace Levee.Gateway.Tests.Dashboard;

/// <summary>The dashboard's sign-in: the admin key once, then an HttpOnly, SameSite=Strict cookie that the admin endpoints accept.</summary>
public sealed class SessionTests(LeveeFactory factory) : GatewayTest(factory)
{
    [Fact]
    public async Task SignIn_AdminKey_SetsAShortLivedHttpOnlyStrictCookie()
    {
        using var http = NoCookies();

        var reply = await SignInAsync(http, LeveeFactory.AdminKey);

        reply.Is(HttpStatusCode.OK);
        var cookie = Assert.Single(reply.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("levee_session=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("expires=", cookie, StringComparison.OrdinalIgnoreCase);
        var expiresAt = reply.Body.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(55), TimeSpan.FromMinutes(61));
        // The token is the cookie's alone: no script can read it from a body.
        Assert.DoesNotContain(TokenOf(cookie), reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WrongKey_Is401WithNoCookie()
    {
        using var http = NoCookies();

        var reply = (await SignInAsync(http, "not-the-admin-key")).Problem(HttpStatusCode.Unauthorized, "unauthorized");

        Assert.False(reply.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task SignIn_TenantKey_Is403WithNoCookie()
    {
        using var http = NoCookies();

        var reply = (await SignInAsync(http, Client.Key!)).Problem(HttpStatusCode.Forbidden, "forbidden");

        Assert.False(reply.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task SignIn_NoKey_Is400()
    {
        using var http = NoCookies();

        (await SendAsync(http, HttpMethod.Post, "/v1/admin/session", "{}")).Problem(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task Cookie_OpensTheAdminEndpoints()
    {
        using var http = NoCookies();
        var cookie = await SessionCookieAsync(http);

        (await SendAsync(http, HttpMethod.Get, "/v1/cluster", cookie: cookie)).Is(HttpStatusCode.OK);
        (await SendAsync(http, HttpMethod.Get, "/v1/admin/keys", cookie: cookie)).Is(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Cookie_OnATenantEndpoint_Is403()
    {
        using var http = NoCookies();
        var cookie = await SessionCookieAsync(http);

        (await SendAsync(http, HttpMethod.Get, "/v1/executions", cookie: cookie)).Problem(HttpStatusCode.Forbidden, "forbidden");
    }

    [Theory]
    [InlineData("lvs_never-issued")]
    [InlineData("")]
    [InlineData("%3Cscript%3E")]
    public async Task UnknownOrExpiredSession_Is401_AndLeaksNothing(string token)
    {
        using var http = NoCookies();

        var reply = (await SendAsync(http, HttpMethod.Get, "/v1/admin/keys", cookie: $"levee_session={token}"))
            .Problem(HttpStatusCode.Unauthorized, "unauthorized");

        Assert.DoesNotContain(Tenant, reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"items\"", reply.Text, StringComparison.Ordinal);
        Assert.False(reply.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task SignOut_EndsTheSessionAtOnce()
    {
        using var http = NoCookies();
        var cookie = await SessionCookieAsync(http);

        var reply = (await SendAsync(http, HttpMethod.Delete, "/v1/admin/session", cookie: cookie)).Is(HttpStatusCode.NoContent);

        Assert.Contains("expires=Thu, 01 Jan 1970", Assert.Single(reply.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
        (await SendAsync(http, HttpMethod.Get, "/v1/cluster", cookie: cookie)).Problem(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task ABearerKey_StillWinsOverTheCookie()
    {
        using var http = NoCookies();
        var cookie = await SessionCookieAsync(http);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/cluster");
        request.Headers.TryAddWithoutValidation("Cookie", cookie);
        request.Headers.Authorization = new("Bearer", Client.Key);

        // The tenant key is what the request says it is; the cookie does not lift it to admin.
        (await Reply.ReadAsync(await http.SendAsync(request))).Problem(HttpStatusCode.Forbidden, "forbidden");
    }

    /// <summary>A client of the server that keeps no cookies: each request carries only what the test gives it.</summary>
    private HttpClient NoCookies() => new(new HttpClientHandler { UseCookies = false }) { BaseAddress = Server.CreateClient().BaseAddress };

    private static Task<Reply> SignInAsync(HttpClient http, string key) =>
        SendAsync(http, HttpMethod.Post, "/v1/admin/session", $$"""{"key":"{{key}}"}""");

    private static async Task<string> SessionCookieAsync(HttpClient http)
    {
        var reply = (await SignInAsync(http, LeveeFactory.AdminKey)).Is(HttpStatusCode.OK);
        return "levee_session=" + TokenOf(Assert.Single(reply.Headers.GetValues("Set-Cookie")));
    }

    private static string TokenOf(string setCookie) => setCookie.Split(';')[0]["levee_session=".Length..];

    private static async Task<Reply> SendAsync(HttpClient http, HttpMethod method, string path, string? json = null, string? cookie = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        if (cookie is not null)
        {
            request.Headers.TryAddWithoutValidation("Cookie", cookie);
        }
        return await Reply.ReadAsync(await http.SendAsync(request));
    }
}

/// <summary>Sessions on a standalone gateway, which authenticates the admin key through the cluster and has no key of its own.</summary>
[Collection(StandaloneCollection.Name)]
public sealed class StandaloneSessionTests(StandaloneGatewayFactory factory) : GatewayTest(factory)
{
    [Fact]
    public async Task SignIn_ThroughAStandaloneGateway_TheCookieWorks()
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = Server.CreateClient().BaseAddress };
        using var signIn = new HttpRequestMessage(HttpMethod.Post, "/v1/admin/session")
        {
            Content = new StringContent($$"""{"key":"{{LeveeFactory.AdminKey}}"}""", Encoding.UTF8, "application/json"),
        };
        var reply = (await Reply.ReadAsync(await http.SendAsync(signIn))).Is(HttpStatusCode.OK);
        using var read = new HttpRequestMessage(HttpMethod.Get, "/v1/cluster");
        read.Headers.TryAddWithoutValidation("Cookie", Assert.Single(reply.Headers.GetValues("Set-Cookie")).Split(';')[0]);

        (await Reply.ReadAsync(await http.SendAsync(read))).Is(HttpStatusCode.OK);
    }
}
