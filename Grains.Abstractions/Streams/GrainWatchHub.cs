using Microsoft.Extensions.Logging;

namespace Levee.Streams;

/// <summary>
/// One process's watches on <see cref="IWatchable"/> grains. The hub is itself the one
/// <see cref="IWatcher"/> observer of the process: however many local readers follow a grain,
/// the grain calls this process once per commit, and the hub wakes the readers. It registers
/// with a grain when the first local reader arrives, renews every <see cref="WatchRenewal.Interval"/>
/// (re-registering after a grain moved or restarted), and unregisters after the last one leaves.
/// Keep one instance per process (a DI singleton): Orleans holds observers weakly, the hub holds
/// itself.
/// </summary>
public sealed partial class GrainWatchHub : IWatcher, IAsyncDisposable
{
    private readonly IGrainFactory _grains;
    private readonly ILogger<GrainWatchHub> _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<GrainId, WatchState> _watches = [];
    private readonly CancellationTokenSource _stopping = new();
    private IWatcher? _reference;
    private Task? _renewals;

    /// <summary>Creates the hub.</summary>
    public GrainWatchHub(IGrainFactory grains, ILogger<GrainWatchHub> logger) => (_grains, _logger) = (grains, logger);

    /// <summary>Grains currently watched by this process (for metrics and tests).</summary>
    public int WatchCount
    {
        get
        {
            lock (_gate)
            {
                return _watches.Count;
            }
        }
    }

    /// <summary>
    /// Starts watching <paramref name="grain"/>. Await <see cref="WatchSubscription.Ready"/> before
    /// the first read, so that no commit falls between the read and the registration.
    /// </summary>
    public WatchSubscription Watch(GrainId grain)
    {
        WatchState watch;
        var first = false;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            _reference ??= _grains.CreateObjectReference<IWatcher>(this);
            _renewals ??= Task.Run(RenewAsync);
            if (!_watches.TryGetValue(grain, out watch!))
            {
                watch = new WatchState(grain);
                _watches[grain] = watch;
                first = true;
            }
            watch.References++;
        }
        if (first)
        {
            watch.Registered = RegisterAsync(watch);
        }
        return new WatchSubscription(this, watch);
    }

    /// <inheritdoc />
    Task IWatcher.ChangedAsync(GrainId source, long position)
    {
        WatchState? watch;
        lock (_gate)
        {
            _watches.TryGetValue(source, out watch);
        }
        watch?.Advance(position);
        return Task.CompletedTask;
    }

    internal void Release(WatchState watch)
    {
        lock (_gate)
        {
            if (--watch.References > 0 || !_watches.Remove(watch.Grain))
            {
                return;
            }
        }
        _ = UnregisterAsync(watch.Grain);
    }

    private async Task RegisterAsync(WatchState watch)
    {
        try
        {
            await _grains.Grain<IWatchable>(watch.Grain).WatchAsync(_reference!);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Readers still see every event: they read again at least every WatchRenewal.ReRead.
            LogRegisterFailed(ex, watch.Grain.ToString());
        }
    }

    private async Task UnregisterAsync(GrainId grain)
    {
        try
        {
            await _grains.Grain<IWatchable>(grain).UnwatchAsync(_reference!);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The registration expires on its own.
            LogRegisterFailed(ex, grain.ToString());
        }
    }

    private async Task RenewAsync()
    {
        using var timer = new PeriodicTimer(WatchRenewal.Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                WatchState[] watches;
                lock (_gate)
                {
                    watches = [.. _watches.Values];
                }
                await Task.WhenAll(watches.Select(RegisterAsync));
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        WatchState[] watches;
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }
            _stopping.Cancel();
            watches = [.. _watches.Values];
            _watches.Clear();
        }
        if (_renewals is not null)
        {
            await _renewals;
        }
        await Task.WhenAll(watches.Select(w => UnregisterAsync(w.Grain)));
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not (re)register a watch on {Grain}; readers fall back to re-reading")]
    private partial void LogRegisterFailed(Exception exception, string grain);

    /// <summary>The state of one watched grain, shared by its local readers.</summary>
    internal sealed class WatchState(GrainId grain)
    {
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _version;
        private long _position;

        public GrainId Grain { get; } = grain;
        public int References { get; set; }
        public Task Registered { get; set; } = Task.CompletedTask;
        public long Version => Volatile.Read(ref _version);
        public long Position => Volatile.Read(ref _position);

        public void Advance(long position)
        {
            long seen;
            do
            {
                seen = Volatile.Read(ref _position);
                if (position <= seen)
                {
                    return;
                }
            }
            while (Interlocked.CompareExchange(ref _position, position, seen) != seen);
            Interlocked.Increment(ref _version);
            Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }

        public async Task<bool> WaitAsync(long seenVersion, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var changed = Volatile.Read(ref _changed).Task;
            if (Version > seenVersion)
            {
                return true;
            }
            if (timeout <= TimeSpan.Zero)
            {
                return false;
            }
            try
            {
                await changed.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (TimeoutException)
            {
                return false;
            }
        }
    }
}

/// <summary>One reader's share of a watch; dispose it when done.</summary>
public sealed class WatchSubscription : IDisposable
{
    private readonly GrainWatchHub _hub;
    private readonly GrainWatchHub.WatchState _watch;
    private int _disposed;

    internal WatchSubscription(GrainWatchHub hub, GrainWatchHub.WatchState watch) => (_hub, _watch) = (hub, watch);

    /// <summary>The per-grain state this subscription shares with the process's other readers of the grain.</summary>
    internal object State => _watch;

    /// <summary>Completes once the grain has the process's watcher registered (or the attempt failed and logged).</summary>
    public Task Ready => _watch.Registered;

    /// <summary>Bumped by every notification that moved the position; capture it before a read.</summary>
    public long Version => _watch.Version;

    /// <summary>The highest position the grain reported (0 before the first notification).</summary>
    public long Position => _watch.Position;

    /// <summary>True once <see cref="Version"/> moved past <paramref name="seenVersion"/>; false when <paramref name="timeout"/> passed first.</summary>
    public Task<bool> WaitAsync(long seenVersion, TimeSpan timeout, CancellationToken cancellationToken) =>
        _watch.WaitAsync(seenVersion, timeout, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _hub.Release(_watch);
        }
    }
}
