using System.Diagnostics;
using System.Collections.Concurrent;
using Levee.Executions;
using Levee.Grains.Storage;
using Levee.Silo.Timers;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Levee.Silo.Storage.Sqlite;

/// <summary>
/// Group commit: one writer thread takes every grain commit that is waiting, writes them all in
/// one transaction (each keeping its own compare-and-set outcome, each in its own savepoint so
/// one failing command fails alone), commits once (one fsync), and only then completes the
/// callers' tasks and tells the listeners. Under load the group grows on its own: whatever
/// arrives during one fsync rides the next.
/// </summary>
internal sealed partial class SqliteCommitWriter : IDisposable
{
    /// <summary>
    /// Commands waiting for the writer thread. A blocking queue, not a channel: the writer is a
    /// dedicated thread that should block while idle, and waiting synchronously on an async channel
    /// from it would be sync-over-async for no gain.
    /// </summary>
    private readonly BlockingCollection<PendingCommit> _queue = new(new ConcurrentQueue<PendingCommit>());
    private readonly SqliteDatabase _database;
    private readonly GroupCommitStats _stats;
    private readonly TimeProvider _clock;
    private readonly ILogger<SqliteCommitWriter> _logger;
    private readonly Thread _thread;

    public SqliteCommitWriter(SqliteDatabase database, GroupCommitStats stats, TimeProvider clock, ILogger<SqliteCommitWriter> logger)
    {
        (_database, _stats, _clock, _logger) = (database, stats, clock, logger);
        _thread = new Thread(Run) { IsBackground = true, Name = "levee-sqlite-writer" };
        _thread.Start();
    }

    public Task<CommitOutcome> CommitAsync(GrainCommit commit)
    {
        var pending = new PendingCommit(commit);
        try
        {
            _queue.Add(pending);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
        {
            // Added after Dispose completed (or disposed) the queue.
            return Task.FromException<CommitOutcome>(new ObjectDisposedException(nameof(SqliteCommitWriter), "The silo is stopping."));
        }
        return pending.Completion.Task;
    }

    private void Run()
    {
        using var statements = new WriterStatements(_database.Open());
        var batch = new List<PendingCommit>(_database.Options.MaxCommitBatch);
        // Blocks this dedicated thread until a command arrives (its connection and prepared
        // statements live on it), then takes whatever else is already waiting: one transaction.
        foreach (var first in _queue.GetConsumingEnumerable())
        {
            batch.Add(first);
            while (batch.Count < _database.Options.MaxCommitBatch && _queue.TryTake(out var next))
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
                GroupCommitStats.Fail(batch, ex);
            }
            batch.Clear();
        }
    }

    private void CommitBatch(WriterStatements statements, List<PendingCommit> batch)
    {
        var started = Stopwatch.GetTimestamp();
        using var span = GroupCommitStats.StartSpan(batch);
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        try
        {
            statements.Begin();
            foreach (var pending in batch)
            {
                try
                {
                    pending.Outcome = statements.Apply(pending.Commit, now);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // Undone alone (its savepoint); the others still commit.
                    pending.Failure = ex;
                    LogCommandFailed(ex, pending.Commit.Id.ToString());
                }
            }
            statements.Commit();
        }
        catch (Exception ex)
        {
            // Nothing of this batch is durable: fail every caller (they reload and may retry).
            statements.Rollback();
            LogCommitFailed(ex, batch.Count);
            GroupCommitStats.Fail(batch, ex);
            return;
        }
        _stats.Completed(batch, started);
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join();
        _queue.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Group commit of {Count} grain commands failed; all were rolled back")]
    private partial void LogCommitFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "The commit of {Grain} failed and was rolled back alone; the rest of its group committed")]
    private partial void LogCommandFailed(Exception exception, string grain);

    /// <summary>
    /// The writer's connection and its hot-path statements, prepared once with fixed parameter
    /// objects: a command only sets values, so no parameter is allocated or looked up per write.
    /// </summary>
    private sealed class WriterStatements : IDisposable
    {
        private readonly SqliteSession _session;
        private readonly Prepared _insertGrain;
        private readonly Prepared _updateGrain;
        private readonly Prepared _deleteGrain;
        private readonly Prepared _deleteEvents;
        private readonly Prepared _deleteTimers;
        private readonly Prepared _purgeGrain;
        private readonly Prepared _deleteIndex;
        private readonly Prepared _deleteBatchChild;
        private readonly Prepared _deleteBatchChildren;
        private readonly Prepared _insertEvent;
        private readonly Prepared _upsertIndex;
        private readonly Prepared _setTimer;
        private readonly Prepared _clearTimer;
        private readonly Prepared _insertBatchChild;
        private readonly Prepared _markCounted;
        private readonly Prepared _insertOutbox;
        private readonly Prepared _setHold;
        private readonly Prepared _setCap;
        private readonly Prepared _clearCap;
        private readonly Prepared _clearHold;
        private readonly Prepared _savepoint;
        private readonly Prepared _rollbackToSavepoint;
        private readonly Prepared _releaseSavepoint;
        private readonly Prepared _addUsage;
        private readonly Prepared _readUsage;
        private readonly Prepared _streamBytes;
        private readonly Prepared[] _all;
        private readonly UsageLedger _usage = new();
        private SqliteTransaction? _transaction;

        /// <summary>What the command being applied removes from its tenant's usage (its deletes and purges).</summary>
        private TenantUsage _removed;

        public WriterStatements(SqliteConnection connection)
        {
            _session = new SqliteSession(connection);
            _insertGrain = new Prepared(connection, SqliteSql.InsertGrain, "$type", "$key", "$last_seq", "$state", "$now");
            _updateGrain = new Prepared(connection, SqliteSql.UpdateGrain, "$type", "$key", "$version", "$last_seq", "$state", "$now");
            _deleteGrain = new Prepared(connection, SqliteSql.DeleteGrain, "$type", "$key", "$version");
            _deleteEvents = new Prepared(connection, SqliteSql.DeleteEvents, "$stream");
            _deleteTimers = new Prepared(connection, SqliteSql.DeleteTimers, "$type", "$key");
            _purgeGrain = new Prepared(connection, SqliteSql.PurgeGrain, "$type", "$key");
            _deleteIndex = new Prepared(connection, SqliteSql.DeleteExecutionIndex, "$tenant", "$project", "$id");
            _deleteBatchChild = new Prepared(connection, SqliteSql.DeleteBatchChild, "$batch_key", "$idx");
            _deleteBatchChildren = new Prepared(connection, SqliteSql.DeleteBatchChildren, "$batch_key");
            _insertEvent = new Prepared(connection, SqliteSql.InsertEvent, "$stream", "$seq", "$type", "$data", "$time");
            _upsertIndex = new Prepared(connection, SqliteSql.UpsertExecutionIndex,
                "$tenant", "$project", "$id", "$status", "$task", "$queue", "$parent_id", "$created_at", "$available_at", "$batch_id", "$capped");
            _insertBatchChild = new Prepared(connection, SqliteSql.InsertBatchChild, "$batch_key", "$idx");
            _markCounted = new Prepared(connection, SqliteSql.MarkChildReported, "$batch_key", "$idx");
            _insertOutbox = new Prepared(connection, SqliteSql.InsertOutbox, "$target_type", "$target_key", "$kind", "$payload", "$now");
            _setTimer = new Prepared(connection, SqliteSql.SetTimer, "$type", "$key", "$name", "$due_at");
            _setHold = new Prepared(connection, SqliteSql.SetClaimHold, "$tenant", "$project", "$kind", "$name");
            _setCap = new Prepared(connection, SqliteSql.SetCappedBatch, "$tenant", "$project", "$queue", "$batch_id", "$cap");
            _clearCap = new Prepared(connection, SqliteSql.ClearCappedBatch, "$tenant", "$project", "$queue", "$batch_id");
            _clearHold = new Prepared(connection, SqliteSql.ClearClaimHold, "$tenant", "$project", "$kind", "$name");
            _clearTimer = new Prepared(connection, SqliteSql.ClearTimer, "$type", "$key", "$name");
            _savepoint = new Prepared(connection, SqliteSql.SavepointCommand);
            _rollbackToSavepoint = new Prepared(connection, SqliteSql.RollbackCommand);
            _releaseSavepoint = new Prepared(connection, SqliteSql.ReleaseCommand);
            _addUsage = new Prepared(connection, SqliteSql.AddTenantUsage, "$tenant", "$executions", "$event_bytes");
            _readUsage = new Prepared(connection, SqliteSql.ReadTenantUsage, "$tenant");
            _streamBytes = new Prepared(connection, SqliteSql.StreamBytes, "$stream");
            _all = [_insertGrain, _updateGrain, _deleteGrain, _deleteEvents, _deleteTimers, _purgeGrain, _deleteIndex, _deleteBatchChild, _deleteBatchChildren, _insertEvent, _upsertIndex, _setTimer, _clearTimer,
                _insertBatchChild, _markCounted, _insertOutbox, _setHold, _clearHold, _setCap, _clearCap, _savepoint, _rollbackToSavepoint, _releaseSavepoint,
                _addUsage, _readUsage, _streamBytes];
        }

        public void Begin()
        {
            _transaction = _session.Begin();
            foreach (var prepared in _all)
            {
                prepared.Command.Transaction = _transaction;
            }
        }

        /// <summary>Writes the group's usage changes with it, then commits.</summary>
        public void Commit()
        {
            foreach (var (tenant, change) in _usage.Pending)
            {
                _addUsage.Execute(tenant, change.Executions, change.EventBytes);
            }
            _transaction!.Commit();
            _session.EndTransaction();
            _transaction = null;
            _usage.Committed();
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
            _usage.RolledBack();
        }

        /// <summary>One command inside its savepoint: a conflict or a failure leaves no trace of it.</summary>
        public CommitOutcome Apply(GrainCommit commit, long now)
        {
            // What it adds is known before anything is written, so a quota refuses it up front.
            var added = CommitRows.Added(commit);
            if (commit is { Quota: { } quota, Tenant: { } charged })
            {
                _usage.Check(charged, added, quota, ReadUsage);
            }
            _removed = default;
            _savepoint.Execute();
            try
            {
                if (!WriteGrain(commit, now))
                {
                    _rollbackToSavepoint.Execute();
                    _releaseSavepoint.Execute();
                    return new CommitOutcome(CommitStatus.VersionConflict, 0, 0);
                }
                foreach (var spawn in commit.Spawns)
                {
                    // The batch deduplicated its indexes first, so an existing row is someone else's.
                    if (!WriteGrain(spawn, now))
                    {
                        throw new ForeignChildException(spawn.Id.ToString());
                    }
                }
                var owner = commit.Id.Key.ToString();
                foreach (var purge in commit.Purges)
                {
                    Purge(purge.Id, purge.Index);
                }
                foreach (var index in commit.RemovedBatchChildren)
                {
                    _deleteBatchChild.Execute(owner, index);
                }
                foreach (var index in commit.BatchChildren)
                {
                    _insertBatchChild.Execute(owner, index);
                }
                foreach (var index in commit.CountedChildren)
                {
                    _markCounted.Execute(owner, index);
                }
                if (commit.Cap is { } cap)
                {
                    _ = cap.Cap is { } n
                        ? _setCap.Execute(cap.Tenant, cap.Project, cap.Queue, cap.BatchId, n)
                        : _clearCap.Execute(cap.Tenant, cap.Project, cap.Queue, cap.BatchId);
                }
                if (commit.Hold is { } hold)
                {
                    var kind = SqliteSql.HoldKind(hold.Kind);
                    _ = hold.Held ? _setHold.Execute(hold.Tenant, hold.Project, kind, hold.Name) : _clearHold.Execute(hold.Tenant, hold.Project, kind, hold.Name);
                }
                foreach (var message in commit.Outbox)
                {
                    _insertOutbox.Execute(message.Target.Type.ToString(), message.Target.Key.ToString(), message.Kind, message.Payload, now);
                }
                _releaseSavepoint.Execute();
                if (commit.Tenant is { } tenant)
                {
                    _usage.Add(tenant, added + _removed);
                }
            }
            catch
            {
                _rollbackToSavepoint.Execute();
                _releaseSavepoint.Execute();
                throw;
            }
            return CommitRows.Committed(commit);
        }

        /// <summary>The grain's own rows: state (compare-and-set), events, index row, timers. False on a version conflict.</summary>
        private bool WriteGrain(GrainCommit commit, long now)
        {
            var type = commit.Id.Type.ToString();
            var key = commit.Id.Key.ToString();
            if (commit.DeleteState)
            {
                if (_deleteGrain.Execute(type, key, commit.ExpectedVersion) == 0)
                {
                    return false;
                }
                Purge(commit.Id, commit.RemoveIndex);
                _deleteBatchChildren.Execute(key);
                return true;
            }
            var lastSeq = commit.ExpectedLastSeq + commit.Events.Count;
            var written = commit.ExpectedVersion == 0
                ? _insertGrain.Execute(type, key, lastSeq, CommitRows.Bytes(commit.State), now)
                : _updateGrain.Execute(type, key, commit.ExpectedVersion, lastSeq, CommitRows.Bytes(commit.State), now);
            if (written == 0)
            {
                return false;
            }
            if (commit.Events.Count > 0)
            {
                var stream = commit.Id.ToString();
                var seq = commit.ExpectedLastSeq;
                foreach (var e in commit.Events)
                {
                    _insertEvent.Execute(stream, ++seq, e.Type, CommitRows.Bytes(e.Data), e.Time.ToUnixTimeMilliseconds());
                }
            }
            if (commit.ExecutionIndex is { } row)
            {
                _upsertIndex.Execute(row.Tenant, row.Project, row.Id, row.Status.ToWire(), row.Task, row.Queue, row.ParentId,
                    row.CreatedAt.ToUnixTimeMilliseconds(), DueTime.ToStored(row.AvailableAt), row.BatchId, row.Capped ? 1 : 0);
            }
            foreach (var timer in commit.Timers)
            {
                _ = timer.DueAt is { } due
                    ? _setTimer.Execute(type, key, timer.Name, DueTime.ToStored(due))
                    : _clearTimer.Execute(type, key, timer.Name);
            }
            return true;
        }

        /// <summary>Everything stored under a grain but its state row (gone already, or removed here whatever its version).</summary>
        private void Purge(GrainId id, ExecutionIndexKey? index)
        {
            var stream = id.ToString();
            var bytes = _streamBytes.Scalar(stream);
            _purgeGrain.Execute(id.Type.ToString(), id.Key.ToString());
            _deleteEvents.Execute(stream);
            _deleteTimers.Execute(id.Type.ToString(), id.Key.ToString());
            var executions = index is null ? 0 : _deleteIndex.Execute(index.Tenant, index.Project, index.Id);
            _removed += new TenantUsage(-executions, -bytes);
        }

        private TenantUsage ReadUsage(string tenant)
        {
            _readUsage.Bind(tenant);
            using var reader = _readUsage.Command.ExecuteReader();
            return reader.Read() ? new TenantUsage(reader.GetInt64(0), reader.GetInt64(1)) : default;
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

        public void Bind(params ReadOnlySpan<object?> values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                _parameters[i].Value = values[i] ?? DBNull.Value;
            }
        }

        public int Execute(params ReadOnlySpan<object?> values)
        {
            Bind(values);
            return Command.ExecuteNonQuery();
        }

        /// <summary>Runs a query of one integer.</summary>
        public long Scalar(params ReadOnlySpan<object?> values)
        {
            Bind(values);
            return Convert.ToInt64(Command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
