using Levee.Gateway.Auth;
using Levee.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Orleans.Dashboard;

namespace Levee.Silo.Hosting;

/// <summary>
/// The Orleans Dashboard at <c>/dashboard</c>, switched by <c>Levee:Dashboard:Orleans</c> (off by
/// default: its per-call profiling filter costs throughput, see docs/benchmarks.md). It shows grain
/// state and a log stream, so it is for the admin key only (a bearer header, or the session cookie
/// Levee's dashboard signs in with): anonymous callers get 401 and tenant keys 403, never a redirect. Served by silos only: its package carries the Orleans silo runtime,
/// which a standalone gateway (an Orleans client, storage-free) must not.
/// </summary>
public static class OrleansDashboard
{
    /// <summary>The setting that switches it.</summary>
    public const string SettingKey = "Levee:Dashboard:Orleans";

    /// <summary>Where it is mapped.</summary>
    public const string RoutePrefix = "/dashboard";

    /// <summary>True when <c>Levee:Dashboard:Orleans</c> is <c>true</c>.</summary>
    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue<bool>(SettingKey);

    /// <summary>Maps it behind the admin key, left out of the OpenAPI document (it is Orleans', not Levee's API).</summary>
    public static void MapBehindAdmin(WebApplication app) =>
        app.MapOrleansDashboard(RoutePrefix).RequireScope(ApiScopes.Admin).ExcludeFromDescription();
}
