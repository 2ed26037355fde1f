using Levee.Grains.Storage;
using Levee.Silo.Storage;

namespace Levee.Silo.Outbox;

/// <summary>Wakes the outbox dispatcher after a commit that wrote messages (no polling on the hot path).</summary>
public sealed class OutboxSignal : ICommitListener
{
    private readonly SemaphoreSlim _pending = new(0, 1);

    /// <inheritdoc />
    public void Committed(GrainCommit commit)
    {
        if (commit.Outbox.Count > 0)
        {
            Wake();
        }
    }

    /// <summary>There may be messages to deliver.</summary>
    public void Wake()
    {
        try
        {
            if (_pending.CurrentCount == 0)
            {
                _pending.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already awake.
        }
    }

    /// <summary>Waits for a wake-up or the timeout.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _pending.WaitAsync(timeout, cancellationToken);
}
