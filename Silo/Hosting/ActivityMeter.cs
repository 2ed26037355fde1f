using Levee.Grains.Storage;
using Levee.Silo.Storage;

namespace Levee.Silo.Hosting;

/// <summary>Counts durable commits, so background policies can tell a busy silo from a quiet one.</summary>
internal sealed class ActivityMeter : ICommitListener
{
    private long _commits;

    /// <summary>Commits so far.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    public void Committed(GrainCommit commit) => Interlocked.Increment(ref _commits);
}
