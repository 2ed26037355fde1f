using System.Diagnostics;
using Levee.Grains.Storage;
using Levee.Silo.Diagnostics;

namespace Levee.Silo.Storage;

/// <summary>
/// What every dialect's group-commit writer does around its own SQL: the group's span, telling
/// callers and listeners once the group is durable, and the counters the cluster view samples
/// (<see cref="CommitActivity"/>).
/// </summary>
internal sealed class GroupCommitStats(IEnumerable<ICommitListener> listeners)
{
    private readonly ICommitListener[] _listeners = listeners.ToArray();
    private long _transactions;
    private long _commands;
    private long _commitTicks;

    /// <summary>Group-commit transactions committed so far (each may carry many grain commands).</summary>
    public long TransactionsCommitted => Interlocked.Read(ref _transactions);

    /// <summary>Grain commands committed so far.</summary>
    public long CommandsCommitted => Interlocked.Read(ref _commands);

    /// <summary>Time spent in committed group commits so far (stopwatch ticks), for their mean duration.</summary>
    public long CommitTicks => Interlocked.Read(ref _commitTicks);

    /// <summary>The group's span, linking every traced caller's (their own spans are written on completion).</summary>
    public static Activity? StartSpan(IReadOnlyList<PendingCommit> batch)
    {
        if (!LeveeTelemetry.Source.HasListeners())
        {
            return null;
        }
        var span = LeveeTelemetry.Source.StartActivity("levee.group_commit", ActivityKind.Internal, parentContext: default,
            links: batch.Where(p => p.Caller != default).Select(p => new ActivityLink(p.Caller)));
        span?.SetTag("levee.commit.batch_size", batch.Count);
        return span;
    }

    /// <summary>Nothing of the group is durable: every caller fails (they reload and may retry).</summary>
    public static void Fail(IReadOnlyList<PendingCommit> batch, Exception exception)
    {
        foreach (var pending in batch)
        {
            pending.Completion.TrySetException(exception);
        }
    }

    /// <summary>
    /// The group's transaction is durable (it started at <paramref name="started"/>, a stopwatch
    /// timestamp): each caller gets its own outcome or failure, and the listeners hear of every
    /// committed command.
    /// </summary>
    public void Completed(IReadOnlyList<PendingCommit> batch, long started)
    {
        Interlocked.Increment(ref _transactions);
        var conflicts = 0;
        var committed = 0;
        foreach (var pending in batch)
        {
            TraceCommit(pending, batch.Count);
            if (pending.Failure is not null)
            {
                pending.Completion.TrySetException(pending.Failure);
                continue;
            }
            if (pending.Outcome.Status == CommitStatus.Committed)
            {
                committed++;
                foreach (var listener in _listeners)
                {
                    listener.Committed(pending.Commit);
                }
            }
            else
            {
                conflicts++;
            }
            pending.Completion.TrySetResult(pending.Outcome);
        }
        Interlocked.Add(ref _commands, committed);
        var elapsed = Stopwatch.GetTimestamp() - started;
        Interlocked.Add(ref _commitTicks, elapsed);
        LeveeTelemetry.CommitBatchSize.Record(batch.Count);
        LeveeTelemetry.CommitLatency.Record(Stopwatch.GetElapsedTime(started, started + elapsed).TotalMilliseconds);
        if (conflicts > 0)
        {
            LeveeTelemetry.CommitConflicts.Add(conflicts);
        }
    }

    /// <summary>A traced caller's commit: from its enqueueing to its group being durable, with the group's size and its own outcome.</summary>
    private static void TraceCommit(PendingCommit pending, int batchSize)
    {
        if (pending.Caller == default)
        {
            return;
        }
        using var span = LeveeTelemetry.Source.StartActivity("levee.commit", ActivityKind.Internal, pending.Caller, startTime: pending.Enqueued);
        span?.SetTag("levee.grain", pending.Commit.Id.ToString());
        span?.SetTag("levee.commit.batch_size", batchSize);
        span?.SetTag("levee.commit.events", pending.Commit.Events.Count);
        span?.SetTag("levee.commit.outcome", pending.Failure is not null ? "failed" : pending.Outcome.Status == CommitStatus.Committed ? "committed" : "conflict");
    }
}
