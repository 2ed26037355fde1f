using System.Diagnostics;
using System.Threading.Channels;
using Levee.Runtime;
using Levee.Silo.Diagnostics;
using Levee.Silo.Streams;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Levee.Silo.Storage.Sqlite;

/// <summary>
/// Group commit: one writer thread takes every grain commit that is waiting, writes them all in
/// one transaction (each keeping its own compare-and-set outcome), commits once (one fsync),
/// and only then completes the callers' tasks and wakes stream readers. Under load the batch
/// grows on its own: whatever arrives during one fsync rides the next.
/// </summary>
internal sealed partial class SqliteCommitWriter : IDisposable
{
    private readonly Channel<PendingCommit> _queue = Channel.CreateUnbounded<PendingCommit>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteDatabase _database;
    private readonly StreamNotifier _notifier;
    private readonly TimeProvider _clock;
    private readonly ILogger<SqliteCommitWriter> _logger;
    private readonly Thread _thread;

    public SqliteCommitWriter(SqliteDatabase database, StreamNotifier notifier, TimeProvider clock, ILogger<SqliteCommitWriter> logger)
    {
        (_database, _notifier, _clock, _logger) = (database, notifier, clock, logger);
        _thread = new Thread(Run) { IsBackground = true, Name = "levee-sqlite-writer" };
        _thread.Start();
    }

    private long _transactions;

    /// <summary>Group-commit transactions committed so far (each may carry many grain commands).</summary>
    public long TransactionsCommitted => Interlocked.Read(ref _transactions);

    public Task<CommitOutcome> CommitAsync(GrainCommit commit)
    {
        var pending = new PendingCommit(commit);
        return _queue.Writer.TryWrite(pending)
            ? pending.Completion.Task
            : Task.FromException<CommitOutcome>(new ObjectDisposedException(nameof(SqliteCommitWriter), "The silo is stopping."));
    }

    private void Run()
    {
        using var statements = new WriterStatements(_database.Open());
        var batch = new List<PendingCommit>(_database.Options.MaxCommitBatch);
        var reader = _queue.Reader;
        while (true)
        {
            if (!reader.TryRead(out var first))
            {
                if (!reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                {
                    return;
                }
                continue;
            }
            batch.Add(first);
            while (batch.Count < _database.Options.MaxCommitBatch && reader.TryRead(out var next))
            {
                batch.Add(next);
            }
            CommitBatch(statements, batch);
            batch.Clear();
        }
    }

    private void CommitBatch(WriterStatements statements, List<PendingCommit> batch)
    {
        var started = Stopwatch.GetTimestamp();
        using var span = LeveeTelemetry.Source.StartActivity("storage commit");
        span?.SetTag("levee.commit.batch_size", batch.Count);
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        try
        {
            statements.Begin();
            foreach (var pending in batch)
            {
                pending.Outcome = statements.Apply(pending.Commit, now);
            }
            statements.Commit();
            Interlocked.Increment(ref _transactions);
        }
        catch (Exception ex)
        {
            // Nothing of this batch is durable: fail every caller (they reload and may retry).
            statements.Rollback();
            LogCommitFailed(ex, batch.Count);
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(ex);
            }
            return;
        }
        var conflicts = 0;
        foreach (var pending in batch)
        {
            if (pending.Outcome.Status == CommitStatus.Committed)
            {
                _notifier.Publish(pending.Commit.Id, pending.Outcome.LastSeq);
            }
            else
            {
                conflicts++;
            }
            pending.Completion.TrySetResult(pending.Outcome);
        }
        LeveeTelemetry.CommitBatchSize.Record(batch.Count);
        LeveeTelemetry.CommitLatency.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (conflicts > 0)
        {
            LeveeTelemetry.CommitConflicts.Add(conflicts);
        }
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _thread.Join();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Group commit of {Count} grain commands failed; all were rolled back")]
    private partial void LogCommitFailed(Exception exception, int count);

    private sealed class PendingCommit(GrainCommit commit)
    {
        public GrainCommit Commit { get; } = commit;
        public TaskCompletionSource<CommitOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public CommitOutcome Outcome { get; set; }
    }

    /// <summary>The writer's connection and its prepared hot-path statements.</summary>
    private sealed class WriterStatements : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteSession _session;
        private SqliteTransaction? _transaction;

        public WriterStatements(SqliteConnection connection)
        {
            _connection = connection;
            _session = new SqliteSession(connection);
        }

        public void Begin() => _transaction = _session.Begin();

        public void Commit()
        {
            _transaction!.Commit();
            _session.EndTransaction();
        }

        public void Rollback()
        {
            try
            {
                _transaction?.Rollback();
            }
            catch (SqliteException)
            {
                // SQLite may already have rolled back (e.g. on SQLITE_FULL); nothing is left to undo.
            }
            _session.EndTransaction();
        }

        public CommitOutcome Apply(GrainCommit commit, long now)
        {
            var id = commit.Id;
            if (commit.IdempotencyClaim is not null)
            {
                _session.Execute(SqliteSql.SavepointClaim);
            }
            var written = commit.ExpectedVersion == 0
                ? _session.Execute(SqliteSql.InsertGrain, ("$type", id.Type), ("$key", id.Key), ("$last_seq", commit.ExpectedLastSeq + commit.Events.Count),
                    ("$state", Bytes(commit.State)), ("$now", now))
                : _session.Execute(SqliteSql.UpdateGrain, ("$type", id.Type), ("$key", id.Key), ("$version", commit.ExpectedVersion),
                    ("$last_seq", commit.ExpectedLastSeq + commit.Events.Count), ("$state", Bytes(commit.State)), ("$now", now));
            if (written == 0)
            {
                ReleaseClaim(commit, rollback: true);
                return new CommitOutcome(CommitStatus.VersionConflict, 0, 0);
            }
            if (commit.IdempotencyClaim is { } claim)
            {
                var claimed = _session.Execute(SqliteSql.ClaimIdempotency, ("$tenant", claim.Tenant), ("$project", claim.Project), ("$key", claim.Key),
                    ("$hash", claim.RequestHash), ("$result_id", claim.ResultId), ("$now", now), ("$expires_at", claim.ExpiresAt.ToUnixTimeMilliseconds()));
                if (claimed == 0)
                {
                    ReleaseClaim(commit, rollback: true);
                    return new CommitOutcome(CommitStatus.IdempotencyKeyTaken, 0, 0);
                }
            }
            var stream = id.ToString();
            var seq = commit.ExpectedLastSeq;
            foreach (var e in commit.Events)
            {
                _session.Execute(SqliteSql.InsertEvent, ("$stream", stream), ("$seq", ++seq), ("$type", e.Type), ("$data", Bytes(e.Data)),
                    ("$time", e.Time.ToUnixTimeMilliseconds()));
            }
            if (commit.ExecutionIndex is { } row)
            {
                _session.Execute(SqliteSql.UpsertExecutionIndex, ("$grain_key", id.Key), ("$tenant", row.Tenant), ("$project", row.Project), ("$id", row.Id),
                    ("$status", Levee.Executions.ExecutionStatusNames.ToWire(row.Status)), ("$task", row.Task), ("$queue", row.Queue),
                    ("$parent_id", row.ParentId), ("$created_at", row.CreatedAt.ToUnixTimeMilliseconds()));
            }
            ReleaseClaim(commit, rollback: false);
            return new CommitOutcome(CommitStatus.Committed, commit.ExpectedVersion + 1, seq);
        }

        // The codecs hand over whole arrays; avoid copying them again.
        private static byte[] Bytes(ReadOnlyMemory<byte> memory) =>
            System.Runtime.InteropServices.MemoryMarshal.TryGetArray(memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
                ? segment.Array
                : memory.ToArray();

        private void ReleaseClaim(GrainCommit commit, bool rollback)
        {
            if (commit.IdempotencyClaim is null)
            {
                return;
            }
            if (rollback)
            {
                _session.Execute(SqliteSql.RollbackClaim);
            }
            _session.Execute(SqliteSql.ReleaseClaim);
        }

        public void Dispose()
        {
            _session.Dispose();
            _connection.Dispose();
        }
    }
}
