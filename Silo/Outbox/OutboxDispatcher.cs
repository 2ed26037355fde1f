using Levee.Grains.Durable;
using Levee.Silo.Background;
using Levee.Silo.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Levee.Silo.Outbox;

/// <summary>
/// Delivers outbox messages at least once through <see cref="IOutboxReceiver"/>: read, deliver to
/// each target grain, delete. A crash between delivery and delete delivers again, which
/// receivers absorb (they dedupe). Messages to one grain are delivered in order, in one call;
/// different grains in parallel.
/// </summary>
internal sealed partial class OutboxDispatcher(IOutboxStore store, IGrainFactory grains, OutboxSignal signal, TimeProvider clock, ILogger<OutboxDispatcher> logger)
    : PollingService(logger)
{
    private const int Batch = 512;
    /// <summary>Safety net for messages written by another process on the same database.</summary>
    private static readonly TimeSpan MaxSleep = TimeSpan.FromSeconds(2);

    protected override async Task PollOnceAsync(CancellationToken stoppingToken)
    {
        var messages = await store.ReadAsync(Batch, stoppingToken);
        var delivered = messages.Count == 0
            ? []
            : (await Task.WhenAll(messages.GroupBy(m => m.Message.Target).Select(DeliverInOrderAsync))).SelectMany(ids => ids).ToArray();
        await store.DeleteAsync(delivered, stoppingToken);
        // A full page with progress: read on at once. Otherwise wait for a commit (or back off
        // when nothing could be delivered, instead of re-reading the same rows).
        if (messages.Count == Batch && delivered.Length > 0)
        {
            return;
        }
        await signal.WaitAsync(delivered.Length == 0 && messages.Count > 0 ? FailedBackoff : MaxSleep, stoppingToken);
    }

    /// <summary>All of a grain's messages in one call, in order (a batch counts a round of finished children in one commit).</summary>
    private async Task<long[]> DeliverInOrderAsync(IGrouping<GrainId, StoredMessage> messages)
    {
        var batch = messages.Select(m => new Message(m.Message.Kind, m.Message.Payload)).ToArray();
        try
        {
            if (!await grains.Grain<IOutboxReceiver>(messages.Key).ReceiveMessagesAsync(batch))
            {
                return [];
            }
            var now = clock.GetUtcNow();
            foreach (var message in messages)
            {
                LeveeTelemetry.OutboxLag.Record((now - message.CreatedAt).TotalMilliseconds);
            }
            return messages.Select(m => m.Id).ToArray();
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
