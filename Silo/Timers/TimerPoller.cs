using Levee.Runtime;
using Levee.Silo.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Levee.Silo.Timers;

/// <summary>
/// Delivers due durable timers to their grains (Orleans: the reminder service). It sleeps until
/// the next due time or until a commit sets an earlier timer; timers that fell due while the silo
/// was down are delivered as soon as it starts. A delivery that changes the grain clears the
/// timer in the grain's own commit; one that changes nothing is removed here afterwards, so each
/// timer's effect happens once even if the silo dies between the two.
/// </summary>
internal sealed partial class TimerPoller(ITimerStore store, GrainRuntime runtime, TimerSchedule schedule, TimeProvider clock,
    ILogger<TimerPoller> logger) : BackgroundService
{
    private const int Batch = 512;
    /// <summary>Longest sleep: a safety net for timers set by another process on the same database.</summary>
    private static readonly TimeSpan MaxSleep = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryFailedAfter = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await PollOnceAsync(stoppingToken))
                {
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A transient storage error must not stop the silo (a BackgroundService that throws does).
                LogPollFailed(ex);
                await Task.Delay(RetryFailedAfter, clock, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Delivers what is due, then sleeps until the next timer. True when it should poll again at once.</summary>
    private async Task<bool> PollOnceAsync(CancellationToken stoppingToken)
    {
        {
            var now = clock.GetUtcNow();
            var due = store.ReadDue(now, Batch);
            if (due.Count > 0)
            {
                var delivered = await Task.WhenAll(due.Select(DeliverAsync));
                store.RemoveDelivered(due.Where((_, i) => delivered[i]).ToArray());
                if (due.Count == Batch)
                {
                    return true;
                }
            }
            var next = store.NextDue() ?? DateTimeOffset.MaxValue;
            var wake = now + MaxSleep < next ? now + MaxSleep : next;
            await schedule.SleepAsync(wake, clock, stoppingToken);
            return false;
        }
    }

    private async Task<bool> DeliverAsync(DueTimer timer)
    {
        try
        {
            return await runtime.InvokeAsync(timer.Grain, grain => ((IRemindable)grain).ReceiveReminderAsync(timer.Name, timer.DueAt));
        }
        catch (Exception ex)
        {
            LogDeliveryFailed(ex, timer.Name, timer.Grain.ToString());
            store.Postpone(timer, clock.GetUtcNow() + RetryFailedAfter);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer poll failed; retrying shortly")]
    private partial void LogPollFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timer {Name} of {Grain} could not be delivered; retrying shortly")]
    private partial void LogDeliveryFailed(Exception exception, string name, string grain);
}
