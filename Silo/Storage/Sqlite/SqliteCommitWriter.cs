using System.Diagnostics;
using System.Threading.Channels;
using System.Globalization;
using System.Runtime.InteropServices;
using Levee.Executions;
using Levee.Runtime;
using Levee.Silo.Diagnostics;
using Levee.Silo.Streams;
using Levee.Silo.Outbox;
using Levee.Silo.Timers;
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
    private readonly TimerSchedule _timers;
    private readonly OutboxSignal _outbox;
    private readonly TimeProvider _clock;
    private readonly ILogger<SqliteCommitWriter> _logger;
    private readonly Thread _thread;

    public SqliteCommitWriter(SqliteDatabase database, StreamNotifier notifier, TimerSchedule timers, OutboxSignal outbox, TimeProvider clock,
        ILogger<SqliteCommitWriter> logger)
    {
        (_database, _notifier, _timers, _outbox, _clock, _logger) = (database, notifier, timers, outbox, clock, logger);
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
            try
            {
                CommitBatch(statements, batch);
            }
            catch (Exception ex)
            {
                // The writer thread must outlive any one batch: fail its callers, keep serving.
                LogCommitFailed(ex, batch.Count);
                foreach (var pending in batch)
                {
                    pending.Completion.TrySetException(ex);
                }
            }
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
                Published(pending.Commit, pending.Outcome.LastSeq);
                foreach (var spawn in pending.Commit.Spawns)
                {
                    Published(spawn, spawn.ExpectedLastSeq + spawn.Events.Count);
                }
                if (pending.Commit.Outbox.Count > 0 || pending.Commit.ChildOutcome is not null)
                {
                    _outbox.Wake();
                }
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

    /// <summary>Wakes what waits on a committed grain: its stream readers and, for timers it set, the timer poller.</summary>
    private void Published(GrainCommit commit, long lastSeq)
    {
        _notifier.Publish(commit.Id, lastSeq);
        foreach (var timer in commit.Timers)
        {
            if (timer.DueAt is { } due)
            {
                _timers.Schedule(due);
            }
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

    /// <summary>
    /// The writer's connection and its hot-path statements, prepared once with fixed parameter
    /// objects: a command only sets values, so no parameter is allocated or looked up per write.
    /// </summary>
    private sealed class WriterStatements : IDisposable
    {
        private readonly SqliteSession _session;
        private readonly Prepared _insertGrain;
        private readonly Prepared _updateGrain;
        private readonly Prepared _insertEvent;
        private readonly Prepared _upsertIndex;
        private readonly Prepared _claim;
        private readonly Prepared _setTimer;
        private readonly Prepared _clearTimer;
        private readonly Prepared _insertBatchChild;
        private readonly Prepared _markReported;
        private readonly Prepared _setChildOutcome;
        private readonly Prepared _insertOutbox;
        private const string BatchGrainType = "bat";
        private readonly Prepared[] _all;
        private SqliteTransaction? _transaction;

        public WriterStatements(SqliteConnection connection)
        {
            _session = new SqliteSession(connection);
            _insertGrain = new Prepared(connection, SqliteSql.InsertGrain, "$type", "$key", "$last_seq", "$state", "$now");
            _updateGrain = new Prepared(connection, SqliteSql.UpdateGrain, "$type", "$key", "$version", "$last_seq", "$state", "$now");
            _insertEvent = new Prepared(connection, SqliteSql.InsertEvent, "$stream", "$seq", "$type", "$data", "$time");
            _upsertIndex = new Prepared(connection, SqliteSql.UpsertExecutionIndex,
                "$grain_key", "$tenant", "$project", "$id", "$status", "$task", "$queue", "$parent_id", "$created_at", "$available_at", "$batch_id");
            _insertBatchChild = new Prepared(connection, SqliteSql.InsertBatchChild, "$batch_key", "$idx", "$child_id");
            _markReported = new Prepared(connection, SqliteSql.MarkChildReported, "$batch_key", "$idx");
            _setChildOutcome = new Prepared(connection, SqliteSql.SetChildOutcome, "$outcome", "$batch_key", "$idx");
            _insertOutbox = new Prepared(connection, SqliteSql.InsertOutbox, "$target_type", "$target_key", "$kind", "$payload", "$now");
            _setTimer = new Prepared(connection, SqliteSql.SetTimer, "$type", "$key", "$name", "$due_at");
            _clearTimer = new Prepared(connection, SqliteSql.ClearTimer, "$type", "$key", "$name");
            _claim = new Prepared(connection, SqliteSql.ClaimIdempotency, "$tenant", "$project", "$key", "$hash", "$result_id", "$now", "$expires_at");
            _all = [_insertGrain, _updateGrain, _insertEvent, _upsertIndex, _claim, _setTimer, _clearTimer, _insertBatchChild, _markReported,
                _setChildOutcome, _insertOutbox];
        }

        public void Begin()
        {
            _transaction = _session.Begin();
            foreach (var prepared in _all)
            {
                prepared.Command.Transaction = _transaction;
            }
        }

        public void Commit()
        {
            _transaction!.Commit();
            _session.EndTransaction();
            _transaction = null;
        }

        public void Rollback()
        {
            try
            {
                _transaction?.Rollback();
            }
            catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
            {
                // SQLite may already have rolled back (e.g. on SQLITE_FULL), or BEGIN itself failed;
                // nothing is left to undo.
            }
            _session.EndTransaction();
            _transaction = null;
        }

        public CommitOutcome Apply(GrainCommit commit, long now)
        {
            var id = commit.Id;
            if (commit.IdempotencyClaim is not null)
            {
                _session.Execute(SqliteSql.SavepointClaim);
            }
            if (!WriteGrain(commit, now))
            {
                ReleaseClaim(commit, rollback: true);
                return new CommitOutcome(CommitStatus.VersionConflict, 0, 0);
            }
            if (commit.IdempotencyClaim is { } claim && _claim.Execute(claim.Tenant, claim.Project, claim.Key, claim.RequestHash, claim.ResultId, now,
                    claim.ExpiresAt.ToUnixTimeMilliseconds()) == 0)
            {
                ReleaseClaim(commit, rollback: true);
                return new CommitOutcome(CommitStatus.IdempotencyKeyTaken, 0, 0);
            }
            ReleaseClaim(commit, rollback: false);
            foreach (var spawn in commit.Spawns)
            {
                // A spawn that already exists (a retried chunk racing itself) is left as it is.
                WriteGrain(spawn, now);
            }
            foreach (var child in commit.BatchChildren)
            {
                _insertBatchChild.Execute(id.Key, child.Index, child.ChildId);
            }
            foreach (var index in commit.ReportedChildren)
            {
                _markReported.Execute(id.Key, index);
            }
            if (commit.ChildOutcome is { } outcome && _setChildOutcome.Execute(outcome.Outcome, outcome.BatchKey, outcome.Index) == 1)
            {
                // First time this child is recorded finished: tell its batch (at least once, via the outbox).
                _insertOutbox.Execute(BatchGrainType, outcome.BatchKey, OutboxKinds.ChildFinished, outcome.Index.ToString(CultureInfo.InvariantCulture), now);
            }
            foreach (var message in commit.Outbox)
            {
                _insertOutbox.Execute(message.Target.Type, message.Target.Key, message.Kind, message.Payload, now);
            }
            return new CommitOutcome(CommitStatus.Committed, commit.ExpectedVersion + 1, commit.ExpectedLastSeq + commit.Events.Count);
        }

        /// <summary>The grain's own rows: state (compare-and-set), events, index row, timers. False on a version conflict.</summary>
        private bool WriteGrain(GrainCommit commit, long now)
        {
            var id = commit.Id;
            var lastSeq = commit.ExpectedLastSeq + commit.Events.Count;
            var written = commit.ExpectedVersion == 0
                ? _insertGrain.Execute(id.Type, id.Key, lastSeq, Bytes(commit.State), now)
                : _updateGrain.Execute(id.Type, id.Key, commit.ExpectedVersion, lastSeq, Bytes(commit.State), now);
            if (written == 0)
            {
                return false;
            }
            var stream = id.ToString();
            var seq = commit.ExpectedLastSeq;
            foreach (var e in commit.Events)
            {
                _insertEvent.Execute(stream, ++seq, e.Type, Bytes(e.Data), e.Time.ToUnixTimeMilliseconds());
            }
            if (commit.ExecutionIndex is { } row)
            {
                _upsertIndex.Execute(id.Key, row.Tenant, row.Project, row.Id, row.Status.ToWire(), row.Task, row.Queue, row.ParentId,
                    row.CreatedAt.ToUnixTimeMilliseconds(), DueTime.ToStored(row.AvailableAt), row.BatchId);
            }
            foreach (var timer in commit.Timers)
            {
                _ = timer.DueAt is { } due
                    ? _setTimer.Execute(id.Type, id.Key, timer.Name, DueTime.ToStored(due))
                    : _clearTimer.Execute(id.Type, id.Key, timer.Name);
            }
            return true;
        }

        // The codecs hand over whole arrays; avoid copying them again.
        private static byte[] Bytes(ReadOnlyMemory<byte> memory) =>
            MemoryMarshal.TryGetArray(memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
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
            foreach (var prepared in _all)
            {
                prepared.Command.Dispose();
            }
            _session.Dispose();
        }
    }

    /// <summary>A command with its parameters created once, in positional order.</summary>
    private sealed class Prepared
    {
        private readonly SqliteParameter[] _parameters;

        public Prepared(SqliteConnection connection, string sql, params string[] names)
        {
            Command = connection.CreateCommand();
            Command.CommandText = sql;
            _parameters = names.Select(name => Command.Parameters.Add(new SqliteParameter(name, null))).ToArray();
        }

        public SqliteCommand Command { get; }

        public int Execute(params ReadOnlySpan<object?> values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                _parameters[i].Value = values[i] ?? DBNull.Value;
            }
            return Command.ExecuteNonQuery();
        }
    }
}
