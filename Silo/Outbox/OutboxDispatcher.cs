using Levee.Runtime;
using Levee.Silo.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Levee.Silo.Outbox;

/// <summary>
/// Delivers outbox messages at least once: read, deliver to each target grain, delete. A crash
/// between delivery and delete delivers again, which receivers absorb (they dedupe). Messages to
/// one grain are delivered in order; different grains in parallel.
/// </summary>
internal sealed partial class OutboxDispatcher(IOutboxStore store, GrainRuntime runtime, OutboxSignal signal, ILogger<OutboxDispatcher> logger)
    : BackgroundService
{
    private const int Batch = 512;
    /// <summary>Safety net for messages written by another process on the same database.</summary>
    private static readonly TimeSpan MaxSleep = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan FailedBackoff = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var messages = store.Read(Batch);
                var delivered = messages.Count == 0
                    ? []
                    : (await Task.WhenAll(messages.GroupBy(m => m.Message.Target).Select(DeliverInOrderAsync))).SelectMany(ids => ids).ToArray();
                store.Delete(delivered);
                // A full page with progress: read on at once. Otherwise wait for a commit (or back
                // off when nothing could be delivered, instead of re-reading the same rows).
                if (messages.Count == Batch && delivered.Length > 0)
                {
                    continue;
                }
                await signal.WaitAsync(delivered.Length == 0 && messages.Count > 0 ? FailedBackoff : MaxSleep, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A transient storage error must not stop the silo (a BackgroundService that throws does).
                LogRoundFailed(ex);
                await Task.Delay(FailedBackoff, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>All of a grain's messages in one call, in order (a batch counts a round of finished children in one commit).</summary>
    private async Task<long[]> DeliverInOrderAsync(IGrouping<GrainId, StoredMessage> messages)
    {
        var batch = messages.Select(m => m.Message).ToArray();
        try
        {
            return await runtime.InvokeAsync(messages.Key, grain => ((IMessageReceiver)grain).ReceiveMessagesAsync(batch))
                ? messages.Select(m => m.Id).ToArray()
                : [];
        }
        catch (Exception ex)
        {
            LogDeliveryFailed(ex, batch[0].Kind, messages.Key.ToString());
            return []; // all of them again next round, in the same order
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox round failed; retrying shortly")]
    private partial void LogRoundFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {Kind} to {Target} could not be delivered; retrying")]
    private partial void LogDeliveryFailed(Exception exception, string kind, string target);
}
