using System.Diagnostics;
using Levee.Grains.Storage;
using Levee.Silo.Diagnostics;

namespace Levee.Silo.Storage;

/// <summary>A grain commit waiting for its group commit, with what its caller is told once the group is durable.</summary>
internal sealed class PendingCommit
{
    public PendingCommit(GrainCommit commit)
    {
        Commit = commit;
        // A caller inside a grain resumes on its grain's scheduler, so completing its task on the
        // writer only posts to that scheduler (one hop); anyone else resumes on the thread pool,
        // never on the writer.
        Completion = new(TaskScheduler.Current == TaskScheduler.Default ? TaskCreationOptions.RunContinuationsAsynchronously : TaskCreationOptions.None);
        if (LeveeTelemetry.Source.HasListeners() && Activity.Current is { } caller)
        {
            // The commit's span is written once the group is durable, as the caller's child.
            (Caller, Enqueued) = (caller.Context, DateTimeOffset.UtcNow);
        }
    }

    public GrainCommit Commit { get; }
    public TaskCompletionSource<CommitOutcome> Completion { get; }
    public CommitOutcome Outcome { get; set; }
    public Exception? Failure { get; set; }

    /// <summary>The caller's span, when traced: the commit's span is its child.</summary>
    public ActivityContext Caller { get; }
    public DateTimeOffset Enqueued { get; }
}
