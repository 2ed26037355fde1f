using Levee.Streams;
using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace Levee.Grains.Streams;

/// <summary>
/// The <see cref="IWatcher"/>s registered with one grain; registrations expire unless renewed.
/// Made on the first watch: most grains (every execution of a lifecycle nobody follows) never have one.
/// </summary>
internal sealed class Watchers(ILogger logger)
{
    private ObserverManager<IWatcher>? _observers;

    public int Count => _observers?.Count ?? 0;

    public void Add(IWatcher watcher) => (_observers ??= new ObserverManager<IWatcher>(WatchRenewal.Expiry, logger)).Subscribe(watcher, watcher);

    public void Remove(IWatcher watcher) => _observers?.Unsubscribe(watcher);

    /// <summary>One-way calls: a watcher that is gone or slow never holds up the grain.</summary>
    public void Notify(GrainId source, long position)
    {
        if (_observers is { Count: > 0 } observers)
        {
            observers.Notify(watcher => watcher.ChangedAsync(source, position));
        }
    }
}
