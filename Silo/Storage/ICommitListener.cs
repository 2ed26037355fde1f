using Levee.Grains.Storage;

namespace Levee.Silo.Storage;

/// <summary>Told of every commit once it is durable (the timer poller and the outbox dispatcher wake on it instead of polling).</summary>
public interface ICommitListener
{
    /// <summary><paramref name="commit"/> (with its spawns) is durable.</summary>
    void Committed(GrainCommit commit);
}
