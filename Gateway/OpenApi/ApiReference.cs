using Microsoft.AspNetCore.Builder;
using Scalar.AspNetCore;

namespace Levee.Gateway.OpenApi;

/// <summary>
/// The browsable API reference at <c>/reference</c> (Scalar, rendering <c>/openapi/v1.json</c>).
/// Self-contained: its script is served from the assembly, and everything that would reach
/// outside is switched off — the default web fonts (Scalar's CDN), its telemetry, the agent and
/// MCP helpers (no request proxy is set) — so it works on a machine without Internet.
/// </summary>
public static class ApiReference
{
    /// <summary>Where the reference page is served (no key: like the document, it is public).</summary>
    public const string Route = "/reference";

    /// <summary>Maps the page and its assets.</summary>
    public static void MapApiReference(this WebApplication app) =>
        app.MapScalarApiReference(Route, options => options
            .WithTitle("Levee REST API")
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp());
}
