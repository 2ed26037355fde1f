using Levee.Runtime;

namespace Levee.Silo.Runtime;

/// <summary>
/// One live grain instance in this silo. Calls take turns (one at a time, FIFO). The collector
/// may retire it only while no call holds or awaits it; a retired activation refuses new calls,
/// which then create a fresh one.
/// </summary>
internal sealed class Activation(GrainId id, object grain)
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly Lock _gate = new();
    private int _calls;
    private bool _retired;
    private bool _activated;

    public GrainId Id { get; } = id;
    public object Grain { get; } = grain;
    public long LastUsedTicks { get; private set; } = Environment.TickCount64;

    /// <summary>Registers a call; false when the activation was retired.</summary>
    public bool TryEnter()
    {
        lock (_gate)
        {
            if (_retired)
            {
                return false;
            }
            _calls++;
            LastUsedTicks = Environment.TickCount64;
            return true;
        }
    }

    public void Exit()
    {
        lock (_gate)
        {
            _calls--;
            LastUsedTicks = Environment.TickCount64;
        }
    }

    /// <summary>Retires the activation if nobody uses it and it has been idle since <paramref name="idleSinceTicks"/>.</summary>
    public bool TryRetire(long idleSinceTicks)
    {
        lock (_gate)
        {
            if (_calls > 0 || LastUsedTicks > idleSinceTicks)
            {
                return false;
            }
            _retired = true;
            return true;
        }
    }

    /// <summary>Runs one call in its turn, activating the grain first if needed.</summary>
    public async Task<T> RunTurnAsync<T>(Func<object, Task<T>> call)
    {
        await _turn.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_activated)
            {
                if (Grain is IGrainLifecycle lifecycle)
                {
                    await lifecycle.OnActivateAsync(CancellationToken.None).ConfigureAwait(false);
                }
                _activated = true;
            }
            return await call(Grain).ConfigureAwait(false);
        }
        finally
        {
            _turn.Release();
        }
    }
}
