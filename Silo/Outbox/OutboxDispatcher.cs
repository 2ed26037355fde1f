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

    private async Task<List<long>> DeliverInOrderAsync(IGrouping<GrainId, StoredMessage> messages)
    {
        var delivered = new List<long>();
        foreach (var stored in messages)
        {
            try
            {
                var message = stored.Message;
                if (await runtime.InvokeAsync(message.Target, grain => ((IMessageReceiver)grain).ReceiveMessageAsync(message.Kind, message.Payload)))
                {
                    delivered.Add(stored.Id);
                }
            }
            catch (Exception ex)
            {
                LogDeliveryFailed(ex, stored.Message.Kind, stored.Message.Target.ToString());
                break; // keep the order: later messages to this grain wait for the next round
            }
        }
        return delivered;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {Kind} to {Target} could not be delivered; retrying")]
    private partial void LogDeliveryFailed(Exception exception, string kind, string target);
}
