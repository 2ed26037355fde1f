using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using Levee.Runtime;
using Levee.Silo.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Levee.Silo.Runtime;

/// <summary>
/// The silo's grain runtime: one activation per grain id, created on first call and collected
/// when idle (see <see cref="ActivationCollector"/>). It gives no cross-silo guarantee; grains
/// stay correct because every write is a compare-and-set in storage.
/// </summary>
public sealed class GrainRuntime : IGrainFactory
{
    private readonly ConcurrentDictionary<GrainId, Activation> _activations = new();
    private readonly GrainTypeCatalog _catalog;
    private readonly IServiceProvider _services;
    private readonly Dictionary<string, ObjectFactory> _factories;
    private readonly ConcurrentDictionary<Type, GrainReference> _prototypes = new();

    /// <summary>Creates a runtime for the given grain implementations.</summary>
    public GrainRuntime(IReadOnlyDictionary<Type, Type> implementations, IServiceProvider services, IOptions<RuntimeOptions> options)
    {
        _catalog = new GrainTypeCatalog(implementations);
        _services = services;
        Options = options.Value;
        _factories = implementations.ToDictionary(
            pair => _catalog.Get(pair.Key).Name,
            pair => ActivatorUtilities.CreateFactory(pair.Value, [typeof(IGrainContext)]));
    }

    internal RuntimeOptions Options { get; }

    private long _calls;

    /// <summary>Live activations.</summary>
    public int ActivationCount => _activations.Count;

    /// <summary>Grain calls started since the silo started.</summary>
    public long CallCount => Interlocked.Read(ref _calls);

    /// <inheritdoc />
    public TGrain GetGrain<TGrain>(string key) where TGrain : IGrainWithStringKey
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var (name, _) = _catalog.Get(typeof(TGrain));
        var prototype = _prototypes.GetOrAdd(typeof(TGrain), static _ => (GrainReference)(object)DispatchProxy.Create<TGrain, GrainReference>());
        return (TGrain)(object)prototype.CloneFor(this, new GrainId(name, key));
    }

    internal async Task<T> InvokeAsync<T>(GrainId id, Func<object, Task<T>> call)
    {
        Activation activation;
        while (true)
        {
            activation = _activations.GetOrAdd(id, Activate);
            if (activation.TryEnter())
            {
                break;
            }
            // Retired between lookup and entry: drop it and make a fresh one.
            _activations.TryRemove(new KeyValuePair<GrainId, Activation>(id, activation));
        }
        Interlocked.Increment(ref _calls);
        using var span = LeveeTelemetry.Source.StartActivity("grain " + id.Type, ActivityKind.Internal);
        span?.SetTag("levee.grain.id", id.ToString());
        try
        {
            LeveeTelemetry.GrainCalls.Add(1);
            return await activation.RunTurnAsync(call).ConfigureAwait(false);
        }
        finally
        {
            activation.Exit();
        }
    }

    /// <summary>
    /// Retires activations idle longer than the idle timeout, and when over the cap, the least
    /// recently used idle ones until under it. Returns how many were collected.
    /// </summary>
    internal int Collect()
    {
        var now = Environment.TickCount64;
        var idleSince = now - (long)Options.IdleTimeout.TotalMilliseconds;
        var collected = 0;
        foreach (var (id, activation) in _activations)
        {
            if (activation.TryRetire(idleSince) && _activations.TryRemove(new KeyValuePair<GrainId, Activation>(id, activation)))
            {
                collected++;
            }
        }
        var excess = _activations.Count - Options.MaxActivations;
        if (excess > 0)
        {
            foreach (var activation in _activations.Values.OrderBy(a => a.LastUsedTicks).Take(excess).ToArray())
            {
                if (activation.TryRetire(now) && _activations.TryRemove(new KeyValuePair<GrainId, Activation>(activation.Id, activation)))
                {
                    collected++;
                }
            }
        }
        LeveeTelemetry.Activations.Add(-collected);
        return collected;
    }

    private Activation Activate(GrainId id)
    {
        LeveeTelemetry.Activations.Add(1);
        return new Activation(id, _factories[id.Type](_services, [new GrainContext(id)]));
    }
}
