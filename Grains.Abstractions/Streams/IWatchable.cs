namespace Levee.Streams;

/// <summary>
/// A grain whose changes can be watched: it calls every registered <see cref="IWatcher"/> after
/// each commit (execution and batch: the new last sequence number of the event log; queue: a
/// wake-up generation). Registrations expire unless renewed (see <see cref="WatchRenewal"/>),
/// so a watcher that disappears costs nothing for long. The database stays the truth: a watcher
/// that may have missed a call reads again.
/// </summary>
[Alias("Levee.IWatchable")]
public interface IWatchable : IGrainWithStringKey
{
    /// <summary>Registers (or renews) a watcher; it runs beside the grain's commands, never behind them.</summary>
    [Alias("Watch"), Orleans.Concurrency.AlwaysInterleave]
    Task WatchAsync(IWatcher watcher);

    /// <summary>Removes a watcher.</summary>
    [Alias("Unwatch"), Orleans.Concurrency.AlwaysInterleave]
    Task UnwatchAsync(IWatcher watcher);
}

/// <summary>Receives change notifications from <see cref="IWatchable"/> grains (one-way: a slow watcher never holds up a grain).</summary>
[Alias("Levee.IWatcher")]
public interface IWatcher : IGrainObserver
{
    /// <summary><paramref name="source"/> moved to <paramref name="position"/>.</summary>
    [Alias("Changed"), Orleans.Concurrency.OneWay]
    Task ChangedAsync(GrainId source, long position);
}

/// <summary>How watch registrations are kept alive.</summary>
public static class WatchRenewal
{
    /// <summary>Watchers renew at least this often.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>A grain forgets a watcher it has not heard from for this long.</summary>
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(10);

    /// <summary>However quiet a grain seems, a follower reads again this often (the safety net for a lost notification).</summary>
    public static readonly TimeSpan ReRead = TimeSpan.FromSeconds(1);
}
