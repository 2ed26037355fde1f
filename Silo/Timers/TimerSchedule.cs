using Levee.Grains.Storage;
using Levee.Silo.Storage;

namespace Levee.Silo.Timers;

/// <summary>
/// The earliest due time the timer poller knows of, and a wake-up when a commit sets an earlier
/// one: the poller sleeps until the next timer instead of polling on a short interval.
/// </summary>
public sealed class TimerSchedule : ICommitListener
{
    private readonly Lock _gate = new();
    private DateTimeOffset _wakeAt = DateTimeOffset.MaxValue;
    // Earliest timer scheduled since the poller last went to sleep: one committed after the
    // poller read the table but before it slept must not wait for the long safety sleep.
    private DateTimeOffset _scheduledSinceSleep = DateTimeOffset.MaxValue;
    private TaskCompletionSource _earlier = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <inheritdoc />
    public void Committed(GrainCommit commit)
    {
        ScheduleTimersOf(commit);
        foreach (var spawn in commit.Spawns)
        {
            ScheduleTimersOf(spawn);
        }
    }

    private void ScheduleTimersOf(GrainCommit commit)
    {
        foreach (var timer in commit.Timers)
        {
            if (timer.DueAt is { } due)
            {
                Schedule(due);
            }
        }
    }

    /// <summary>A timer was set for <paramref name="due"/>.</summary>
    public void Schedule(DateTimeOffset due)
    {
        TaskCompletionSource? wake = null;
        lock (_gate)
        {
            if (due < _scheduledSinceSleep)
            {
                _scheduledSinceSleep = due;
            }
            if (due < _wakeAt)
            {
                _wakeAt = due;
                wake = _earlier;
                _earlier = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
        wake?.TrySetResult();
    }

    /// <summary>Sleeps until <paramref name="until"/> or until a timer is scheduled before it.</summary>
    public async Task SleepAsync(DateTimeOffset until, TimeProvider clock, CancellationToken cancellationToken)
    {
        Task earlier;
        lock (_gate)
        {
            if (_scheduledSinceSleep < until)
            {
                until = _scheduledSinceSleep;
            }
            _scheduledSinceSleep = DateTimeOffset.MaxValue;
            _wakeAt = until;
            earlier = _earlier.Task;
        }
        var delay = until - clock.GetUtcNow();
        if (delay > TimeSpan.Zero)
        {
            await Task.WhenAny(earlier, Task.Delay(delay, clock, cancellationToken));
        }
        cancellationToken.ThrowIfCancellationRequested();
    }
}
