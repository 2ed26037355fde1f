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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var messages = store.Read(Batch);
            if (messages.Count > 0)
            {
                var delivered = await Task.WhenAll(messages.GroupBy(m => m.Message.Target).Select(DeliverInOrderAsync));
                store.Delete(delivered.SelectMany(ids => ids).ToArray());
                if (messages.Count == Batch)
                {
                    continue;
                }
            }
            try
            {
                await signal.WaitAsync(MaxSleep, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {Kind} to {Target} could not be delivered; retrying")]
    private partial void LogDeliveryFailed(Exception exception, string kind, string target);
}
