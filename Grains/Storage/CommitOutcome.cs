namespace Levee.Grains.Storage;

/// <summary>How a <see cref="GrainCommit"/> ended.</summary>
public enum CommitStatus
{
    /// <summary>Written and durable.</summary>
    Committed,
    /// <summary>The version moved on (another activation wrote first): nothing was written; reload and decide again.</summary>
    VersionConflict,
}

/// <summary>Result of a commit.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Version">The grain's version after the commit (when committed).</param>
/// <param name="LastSeq">The grain's last event sequence number after the commit (when committed).</param>
public readonly record struct CommitOutcome(CommitStatus Status, long Version, long LastSeq);
