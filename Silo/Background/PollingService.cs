using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Levee.Silo.Background;

/// <summary>
/// The one loop of the silo's pollers (timers, outbox): poll, and after a failure log and back
/// off instead of stopping — a <see cref="BackgroundService"/> that throws stops the host, and a
/// transient storage error must not.
/// </summary>
internal abstract partial class PollingService(ILogger logger) : BackgroundService
{
    /// <summary>Pause after a failed round.</summary>
    protected static readonly TimeSpan FailedBackoff = TimeSpan.FromSeconds(1);

    /// <summary>One round: deliver what is due, then wait for more (or not, to go on at once).</summary>
    protected abstract Task PollOnceAsync(CancellationToken stoppingToken);

    /// <inheritdoc />
    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Start once the host is up: the first round may deliver to grains.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PollOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRoundFailed(ex, GetType().Name);
                try
                {
                    await Task.Delay(FailedBackoff, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Poller} round failed; retrying shortly")]
    private partial void LogRoundFailed(Exception exception, string poller);
}
