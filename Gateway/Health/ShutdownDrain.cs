using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Levee.Gateway.Health;

/// <summary>
/// The graceful drain on SIGTERM. The host's stopping signal fires first, before Kestrel or
/// Orleans stop: from then on <c>/readyz</c> answers 503, long polls answer at once with what
/// they have, and event streams end with a <c>retry:</c> hint so their clients resume elsewhere.
/// The process then keeps serving for <see cref="GatewayOptions.DrainDelay"/>, so a load balancer
/// sees the 503 and stops routing here before the port closes; after that the host stops Kestrel
/// (in-flight requests finish within its shutdown timeout) and the silo hands its grains off.
/// </summary>
public sealed partial class ShutdownDrain(IHostApplicationLifetime lifetime, IOptions<GatewayOptions> options, ILogger<ShutdownDrain> logger)
    : IHostedService
{
    /// <summary>The reconnection delay an ended stream suggests, in milliseconds.</summary>
    public const int RetryMs = 1000;

    private CancellationTokenRegistration _registration;

    /// <summary>Fires when the drain starts.</summary>
    public CancellationToken Draining => lifetime.ApplicationStopping;

    /// <summary>True from the stopping signal on.</summary>
    public bool IsDraining => Draining.IsCancellationRequested;

    /// <summary>What a long wait (a long poll, a stream) waits on: the client going, or the drain starting, whichever comes first.</summary>
    public CancellationTokenSource WaitEnds(CancellationToken clientGone) => CancellationTokenSource.CreateLinkedTokenSource(clientGone, Draining);

    /// <summary>True when a wait on <see cref="WaitEnds"/> was cut by the drain while the client is still there to be answered.</summary>
    public bool CutShort(CancellationToken clientGone) => IsDraining && !clientGone.IsCancellationRequested;

    /// <summary>Hooks the drain on the host's stopping signal.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = lifetime.ApplicationStopping.Register(Drain);
        return Task.CompletedTask;
    }

    /// <summary>Unhooks it.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _registration.Dispose();
        return Task.CompletedTask;
    }

    private void Drain()
    {
        var delay = options.Value.DrainDelay;
        LogDraining((long)delay.TotalMilliseconds);
        if (delay > TimeSpan.Zero)
        {
            // Blocking here on purpose: the host stops its services (Kestrel first) only once the
            // stopping callbacks returned, so this is what keeps the port open for the delay. The
            // long polls and streams registered on the same signal were released before this ran
            // (callbacks run newest first) and finish on the thread pool meanwhile.
            Thread.Sleep(delay);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining: /readyz answers 503, long polls and event streams end; the listener closes in {DelayMs} ms")]
    private partial void LogDraining(long delayMs);
}
