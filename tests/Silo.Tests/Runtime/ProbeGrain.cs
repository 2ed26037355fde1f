using Levee.Runtime;

namespace Levee.Silo.Tests.Runtime;

/// <summary>A test grain that records how many of its calls overlap.</summary>
[GrainType("probe")]
public interface IProbeGrain : IGrainWithStringKey
{
    Task<int> EnterAsync(int delayMs);
    Task<int> ActivationsAsync();

    /// <summary>Stays inside the grain until <see cref="ProbeGrain.Release"/> opens the gate.</summary>
    Task<bool> HoldAsync(string gate);
}

public sealed class ProbeGrain(IGrainContext context) : IProbeGrain, IGrainLifecycle
{
    private static int _activations;
    private int _inside;
    private int _maxInside;

    public static int TotalActivations => Volatile.Read(ref _activations);

    public GrainId Id => context.Id;

    public Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _activations);
        return Task.CompletedTask;
    }

    public async Task<int> EnterAsync(int delayMs)
    {
        _maxInside = Math.Max(_maxInside, Interlocked.Increment(ref _inside));
        await Task.Delay(delayMs);
        Interlocked.Decrement(ref _inside);
        return _maxInside;
    }

    public Task<int> ActivationsAsync() => Task.FromResult(TotalActivations);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource<bool>> Gates = new();

    public Task<bool> HoldAsync(string gate) => Gate(gate).Task;

    public static void Release(string gate) => Gate(gate).TrySetResult(true);

    private static TaskCompletionSource<bool> Gate(string gate) =>
        Gates.GetOrAdd(gate, _ => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
}
