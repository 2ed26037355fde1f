using Levee.Gateway.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Levee.Gateway.Endpoints;

/// <summary>
/// What a tenant endpoint takes besides its route values, query and body, bound with
/// <c>[AsParameters]</c>: one type for every API, so a handler's own parameters are what it is about.
/// </summary>
/// <param name="Caller">The tenant key that authenticated the request (<see cref="ApiKeyMiddleware"/>).</param>
/// <param name="Grains">The cluster.</param>
/// <param name="Http">The exchange: response headers, <c>RequestAborted</c>, a body read as a stream.</param>
/// <param name="Clock">Now, for ids minted here and for deadlines of long polls.</param>
/// <param name="Options">The gateway's limits.</param>
public readonly record struct TenantCall(Caller Caller, IGrainFactory Grains, HttpContext Http, TimeProvider Clock, IOptions<GatewayOptions> Options)
{
    /// <summary>The caller's grain with this id (an execution, batch or idempotency key).</summary>
    public TGrain Grain<TGrain>(string id) where TGrain : IGrainWithStringKey => Grains.Grain<TGrain>(Caller.Key(id));

    /// <summary>The gateway's limits.</summary>
    public GatewayOptions Limits => Options.Value;
}
