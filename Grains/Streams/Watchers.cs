using Levee.Streams;
using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace Levee.Grains.Streams;

/// <summary>The <see cref="IWatcher"/>s registered with one grain; registrations expire unless renewed.</summary>
internal sealed class Watchers(ILogger logger)
{
    private readonly ObserverManager<IWatcher> _observers = new(WatchRenewal.Expiry, logger);

    public int Count => _observers.Count;

    public void Add(IWatcher watcher) => _observers.Subscribe(watcher, watcher);

    public void Remove(IWatcher watcher) => _observers.Unsubscribe(watcher);

    /// <summary>One-way calls: a watcher that is gone or slow never holds up the grain.</summary>
    public void Notify(GrainId source, long position)
    {
        if (_observers.Count > 0)
        {
            _observers.Notify(watcher => watcher.ChangedAsync(source, position));
        }
    }
}
