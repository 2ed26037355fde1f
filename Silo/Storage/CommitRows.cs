using System.Runtime.InteropServices;
using Levee.Grains.Storage;

namespace Levee.Silo.Storage;

/// <summary>Dialect-neutral facts about what a commit writes.</summary>
internal static class CommitRows
{
    /// <summary>
    /// What a commit adds to its tenant's usage: an execution for each grain it creates with an
    /// index row (itself and its spawns), and the payload bytes of every event it appends.
    /// </summary>
    public static TenantUsage Added(GrainCommit commit)
    {
        var added = Own(commit);
        foreach (var spawn in commit.Spawns)
        {
            added += Own(spawn);
        }
        return added;

        static TenantUsage Own(GrainCommit c)
        {
            long bytes = 0;
            foreach (var e in c.Events)
            {
                bytes += e.Data.Length;
            }
            return new TenantUsage(c is { ExpectedVersion: 0, DeleteState: false, ExecutionIndex: not null } ? 1 : 0, bytes);
        }
    }

    /// <summary>The outcome of a commit that was written.</summary>
    public static CommitOutcome Committed(GrainCommit commit) => commit.DeleteState
        ? new CommitOutcome(CommitStatus.Committed, 0, 0)
        : new CommitOutcome(CommitStatus.Committed, commit.ExpectedVersion + 1, commit.ExpectedLastSeq + commit.Events.Count);

    /// <summary>The bytes as an array; the codecs hand over whole arrays, which are not copied again.</summary>
    public static byte[] Bytes(ReadOnlyMemory<byte> memory) =>
        MemoryMarshal.TryGetArray(memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : memory.ToArray();
}
