using Levee.Silo.Diagnostics;
using Levee.Grains.Durable;
using Levee.Silo.Background;
using Microsoft.Extensions.Logging;

namespace Levee.Silo.Timers;

/// <summary>
/// Delivers due durable timers to their grains through <see cref="ITimerReceiver"/> (Orleans
/// routes each call to wherever the grain lives). It sleeps until the next due time or until a
/// commit sets an earlier timer; timers that fell due while the silo was down are delivered as
/// soon as it starts. A delivery that changes the grain clears the timer in the grain's own
/// commit; one that changes nothing is removed here afterwards, so each timer's effect happens
/// once even if the silo dies between the two.
/// </summary>
internal sealed partial class TimerPoller(ITimerStore store, IGrainFactory grains, TimerSchedule schedule, TimeProvider clock, ILogger<TimerPoller> logger)
    : PollingService(logger)
{
    private const int Batch = 512;
    /// <summary>Longest sleep: a safety net for timers set by another process on the same database.</summary>
    private static readonly TimeSpan MaxSleep = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryFailedAfter = TimeSpan.FromSeconds(5);

    protected override async Task PollOnceAsync(CancellationToken stoppingToken)
    {
        var now = clock.GetUtcNow();
        var due = await store.ReadDueAsync(now, Batch, stoppingToken);
        if (due.Count > 0)
        {
            var delivered = await Task.WhenAll(due.Select(DeliverAsync));
            await store.RemoveDeliveredAsync(due.Where((_, i) => delivered[i]).ToArray(), stoppingToken);
            if (due.Count == Batch)
            {
                return; // more are due: read on at once
            }
        }
        var next = await store.NextDueAsync(stoppingToken) ?? DateTimeOffset.MaxValue;
        await schedule.SleepAsync(now + MaxSleep < next ? now + MaxSleep : next, clock, stoppingToken);
    }

    private async Task<bool> DeliverAsync(DueTimer timer)
    {
        try
        {
            LeveeTelemetry.TimerLag.Record((clock.GetUtcNow() - timer.DueAt).TotalMilliseconds);
            return await grains.Grain<ITimerReceiver>(timer.Grain).ReceiveTimerAsync(timer.Name, timer.DueAt);
        }
        catch (Exception ex)
        {
            LogDeliveryFailed(ex, timer.Name, timer.Grain.ToString());
            await store.PostponeAsync(timer, clock.GetUtcNow() + RetryFailedAfter, CancellationToken.None);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timer {Name} of {Grain} could not be delivered; retrying shortly")]
    private partial void LogDeliveryFailed(Exception exception, string name, string grain);
}
