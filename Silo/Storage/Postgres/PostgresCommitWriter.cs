using System.Diagnostics;
using System.Threading.Channels;
using Levee.Executions;
using Levee.Grains.Storage;
using Levee.Silo.Timers;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Levee.Silo.Storage.Postgres;

/// <summary>
/// Group commit on PostgreSQL: one writer loop takes every grain commit that is waiting, writes
/// them all in one transaction (each in its own savepoint, keeping its own compare-and-set outcome
/// and failing alone), commits once, and only then completes the callers' tasks and tells the
/// listeners. A command costs two round trips whatever it carries: its savepoint with its
/// compare-and-set (and its spawns' and quota's rows), then all of its other rows as array
/// statements with the savepoint's release.
/// </summary>
internal sealed partial class PostgresCommitWriter : IAsyncDisposable, IDisposable
{
    private readonly Channel<PendingCommit> _queue = Channel.CreateUnbounded<PendingCommit>(new UnboundedChannelOptions { SingleReader = true });
    private readonly PostgresDatabase _database;
    private readonly GroupCommitStats _stats;
    private readonly TimeProvider _clock;
    private readonly ILogger<PostgresCommitWriter> _logger;
    private readonly Task _loop;

    public PostgresCommitWriter(PostgresDatabase database, GroupCommitStats stats, TimeProvider clock, ILogger<PostgresCommitWriter> logger)
    {
        (_database, _stats, _clock, _logger) = (database, stats, clock, logger);
        _loop = Task.Run(RunAsync);
    }

    public Task<CommitOutcome> CommitAsync(GrainCommit commit)
    {
        var pending = new PendingCommit(commit);
        return _queue.Writer.TryWrite(pending)
            ? pending.Completion.Task
            : Task.FromException<CommitOutcome>(new ObjectDisposedException(nameof(PostgresCommitWriter), "The silo is stopping."));
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingCommit>(_database.Options.MaxCommitBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < _database.Options.MaxCommitBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }
            try
            {
                await CommitBatchAsync(batch);
            }
            catch (Exception ex)
            {
                // The loop must outlive any one batch: fail its callers, keep serving.
                LogCommitFailed(ex, batch.Count);
                GroupCommitStats.Fail(batch, ex);
            }
            batch.Clear();
        }
    }

    private async Task CommitBatchAsync(List<PendingCommit> batch)
    {
        var started = Stopwatch.GetTimestamp();
        using var span = GroupCommitStats.StartSpan(batch);
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        // A connection per group from the pool: one that broke with the last group is not reused.
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        // Fresh per transaction: the committed figures are read with the tenant's row locked.
        var usage = new UsageLedger();
        var writer = new GroupWriter(connection, usage, now);
        foreach (var pending in batch)
        {
            try
            {
                pending.Outcome = await writer.ApplyAsync(pending.Commit);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException and not CommandUndoFailedException)
            {
                // Undone alone (its savepoint); the others still commit.
                pending.Failure = ex;
                LogCommandFailed(ex, pending.Commit.Id.ToString());
            }
        }
        if (usage.Pending.Count > 0)
        {
            var tenants = usage.Pending.OrderBy(u => u.Key, StringComparer.Ordinal).ToArray();
            await Execute(connection, PostgresSql.AddTenantUsage, tenants.Select(u => u.Key).ToArray(),
                tenants.Select(u => u.Value.Executions).ToArray(), tenants.Select(u => u.Value.EventBytes).ToArray());
        }
        // Durable once this returns (synchronous_commit): nobody is told before.
        await transaction.CommitAsync();
        usage.Committed();
        _stats.Completed(batch, started);
    }

    private static async Task<int> Execute(NpgsqlConnection connection, string sql, params object?[] values)
    {
        await using var command = Bind(new NpgsqlCommand(sql, connection), values);
        return await command.ExecuteNonQueryAsync();
    }

    private static T Bind<T>(T command, object?[] values) where T : class
    {
        var parameters = command switch
        {
            NpgsqlCommand c => c.Parameters,
            NpgsqlBatchCommand b => b.Parameters,
            _ => throw new InvalidOperationException($"Unexpected command type {command.GetType()} — a bug."),
        };
        foreach (var value in values)
        {
            parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        // A host disposed synchronously still lets the groups already queued commit: blocking here
        // is the only way to wait for them (the loop never runs on the caller's thread, so this cannot deadlock).
        _loop.GetAwaiter().GetResult();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Group commit of {Count} grain commands failed; all were rolled back")]
    private partial void LogCommitFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "The commit of {Grain} failed and was rolled back alone; the rest of its group committed")]
    private partial void LogCommandFailed(Exception exception, string grain);

    /// <summary>A command failed and undoing it failed too: the transaction cannot go on, so the whole group fails.</summary>
    private sealed class CommandUndoFailedException(Exception inner) : Exception("A failed command could not be rolled back to its savepoint.", inner);

    /// <summary>The grain commands of one group commit, each in its own savepoint of the group's transaction.</summary>
    private sealed class GroupWriter(NpgsqlConnection connection, UsageLedger usage, long now)
    {
        /// <summary>Writes the command in its savepoint: a conflict or a failure leaves no trace of it.</summary>
        public async Task<CommitOutcome> ApplyAsync(GrainCommit commit)
        {
            try
            {
                // Checked before its other rows are written; its savepoint undoes its state row.
                var added = CommitRows.Added(commit);
                var (written, locked, created) = await WriteStateAsync(commit);
                if (commit is { Quota: { } quota, Tenant: { } charged })
                {
                    usage.Check(charged, added, quota, _ => locked);
                }
                if (!written)
                {
                    await UndoAsync();
                    return new CommitOutcome(CommitStatus.VersionConflict, 0, 0);
                }
                // The batch deduplicated its indexes first, so a spawn that existed already is someone else's.
                if (commit.Spawns.FirstOrDefault(s => !created.Contains(s.Id)) is { } stranger)
                {
                    throw new ForeignChildException(stranger.Id.ToString());
                }
                var removed = await WriteRowsAsync(commit);
                if (commit.Tenant is { } tenant)
                {
                    usage.Add(tenant, added + removed);
                }
                return CommitRows.Committed(commit);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException and not CommandUndoFailedException)
            {
                await UndoAsync();
                throw;
            }
        }

        /// <summary>Rolls the command back to its savepoint and releases it.</summary>
        private async Task UndoAsync()
        {
            try
            {
                await Execute(connection, PostgresSql.RollbackToSavepoint);
            }
            catch (Exception undo) when (undo is NpgsqlException or InvalidOperationException)
            {
                throw new CommandUndoFailedException(undo);
            }
        }

        /// <summary>
        /// The first round trip: the savepoint, the tenant's usage row locked (with a quota), the
        /// compare-and-set on the state row (or its delete) and the spawns' state rows. Returns
        /// whether the compare-and-set wrote, the tenant's committed usage, and the spawns created.
        /// </summary>
        private async Task<(bool Written, TenantUsage Usage, HashSet<GrainId> Created)> WriteStateAsync(GrainCommit commit)
        {
            await using var batch = new NpgsqlBatch(connection);
            Add(batch, PostgresSql.Savepoint);
            if (commit is { Quota: not null, Tenant: { } tenant })
            {
                Add(batch, PostgresSql.LockTenantUsage, tenant);
            }
            var type = commit.Id.Type.ToString();
            var key = commit.Id.Key.ToString();
            var lastSeq = commit.ExpectedLastSeq + commit.Events.Count;
            var compareAndSet = commit.DeleteState
                ? Add(batch, PostgresSql.DeleteGrain, type, key, commit.ExpectedVersion)
                : commit.ExpectedVersion == 0
                    ? Add(batch, PostgresSql.InsertGrain, type, key, lastSeq, CommitRows.Bytes(commit.State), now)
                    : Add(batch, PostgresSql.UpdateGrain, type, key, commit.ExpectedVersion, lastSeq, CommitRows.Bytes(commit.State), now);
            if (commit.Spawns.Count > 0)
            {
                var spawns = commit.Spawns;
                Add(batch, PostgresSql.InsertSpawns, spawns.Select(s => s.Id.Type.ToString()).ToArray(), spawns.Select(s => s.Id.Key.ToString()).ToArray(),
                    spawns.Select(s => s.ExpectedLastSeq + s.Events.Count).ToArray(), spawns.Select(s => CommitRows.Bytes(s.State)).ToArray(), now);
            }
            var locked = default(TenantUsage);
            var created = new HashSet<GrainId>();
            await using (var reader = await batch.ExecuteReaderAsync())
            {
                // Only the usage row and the spawns return rows; their first column tells them apart.
                do
                {
                    while (await reader.ReadAsync())
                    {
                        if (reader.GetName(0) == "executions")
                        {
                            locked = new TenantUsage(reader.GetInt64(0), reader.GetInt64(1));
                        }
                        else
                        {
                            created.Add(GrainId.Create(reader.GetString(0), reader.GetString(1)));
                        }
                    }
                }
                while (await reader.NextResultAsync());
            }
            return (compareAndSet.RecordsAffected == 1, locked, created);
        }

        /// <summary>Every other row of the command and its spawns, in one round trip; returns what its deletes and purges took from the tenant.</summary>
        private async Task<TenantUsage> WriteRowsAsync(GrainCommit commit)
        {
            await using var batch = new NpgsqlBatch(connection);
            var purges = commit.Purges.Select(p => (p.Id, p.Index)).ToList();
            var owner = commit.Id.Key.ToString();
            if (commit.DeleteState)
            {
                purges.Add((commit.Id, commit.RemoveIndex));
                Add(batch, PostgresSql.DeleteBatchChildren, owner);
            }
            // The purge goes first: its row is the batch's only result.
            if (purges.Count > 0)
            {
                var indexes = purges.Where(p => p.Index is not null).Select(p => p.Index!).ToArray();
                batch.BatchCommands.Insert(0, Bind(new NpgsqlBatchCommand(PostgresSql.Purge), [
                    purges.Select(p => p.Id.Type.ToString()).ToArray(), purges.Select(p => p.Id.Key.ToString()).ToArray(),
                    purges.Select(p => p.Id.ToString()).ToArray(),
                    indexes.Select(i => i.Tenant).ToArray(), indexes.Select(i => i.Project).ToArray(), indexes.Select(i => i.Id).ToArray()]));
            }
            var grains = commit.DeleteState ? commit.Spawns : [commit, .. commit.Spawns];
            AddEvents(batch, grains);
            AddIndexRows(batch, grains);
            AddTimers(batch, grains);
            if (commit.RemovedBatchChildren.Count > 0)
            {
                Add(batch, PostgresSql.DeleteBatchChildrenAt, owner, commit.RemovedBatchChildren.ToArray());
            }
            if (commit.BatchChildren.Count > 0)
            {
                Add(batch, PostgresSql.InsertBatchChildren, owner, commit.BatchChildren.ToArray());
            }
            if (commit.CountedChildren.Count > 0)
            {
                Add(batch, PostgresSql.MarkChildrenReported, owner, commit.CountedChildren.ToArray());
            }
            if (commit.Cap is { } cap)
            {
                _ = cap.Cap is { } n
                    ? Add(batch, PostgresSql.SetCappedBatch, cap.Tenant, cap.Project, cap.Queue, cap.BatchId, n)
                    : Add(batch, PostgresSql.ClearCappedBatch, cap.Tenant, cap.Project, cap.Queue, cap.BatchId);
            }
            if (commit.Hold is { } hold)
            {
                var kind = PostgresSql.HoldKind(hold.Kind);
                _ = hold.Held
                    ? Add(batch, PostgresSql.SetClaimHold, hold.Tenant, hold.Project, kind, hold.Name)
                    : Add(batch, PostgresSql.ClearClaimHold, hold.Tenant, hold.Project, kind, hold.Name);
            }
            if (commit.Outbox.Count > 0)
            {
                var outbox = commit.Outbox;
                Add(batch, PostgresSql.InsertOutbox, outbox.Select(m => m.Target.Type.ToString()).ToArray(), outbox.Select(m => m.Target.Key.ToString()).ToArray(),
                    outbox.Select(m => m.Kind).ToArray(), outbox.Select(m => m.Payload).ToArray(), now);
            }
            Add(batch, PostgresSql.ReleaseSavepoint);
            await using var reader = await batch.ExecuteReaderAsync();
            var removed = default(TenantUsage);
            if (purges.Count > 0 && await reader.ReadAsync())
            {
                removed = new TenantUsage(-reader.GetInt64(1), -reader.GetInt64(0));
            }
            // Runs the rest of the batch (an error in any statement surfaces here).
            while (await reader.NextResultAsync())
            {
            }
            return removed;
        }

        private static void AddEvents(NpgsqlBatch batch, IReadOnlyList<GrainCommit> grains)
        {
            var count = grains.Sum(g => g.Events.Count);
            if (count == 0)
            {
                return;
            }
            var (streams, seqs, types, data, times) = (new string[count], new long[count], new string[count], new byte[count][], new long[count]);
            var row = 0;
            foreach (var grain in grains)
            {
                var stream = grain.Id.ToString();
                var seq = grain.ExpectedLastSeq;
                foreach (var e in grain.Events)
                {
                    (streams[row], seqs[row], types[row], data[row], times[row]) = (stream, ++seq, e.Type, CommitRows.Bytes(e.Data), e.Time.ToUnixTimeMilliseconds());
                    row++;
                }
            }
            Add(batch, PostgresSql.InsertEvents, streams, seqs, types, data, times);
        }

        private static void AddIndexRows(NpgsqlBatch batch, IReadOnlyList<GrainCommit> grains)
        {
            var rows = grains.Select(g => g.ExecutionIndex).OfType<ExecutionIndexRow>().ToArray();
            if (rows.Length == 0)
            {
                return;
            }
            Add(batch, PostgresSql.UpsertExecutionIndex, rows.Select(r => r.Tenant).ToArray(), rows.Select(r => r.Project).ToArray(),
                rows.Select(r => r.Id).ToArray(), rows.Select(r => r.Status.ToWire()).ToArray(), rows.Select(r => r.Task).ToArray(),
                rows.Select(r => r.Queue).ToArray(), rows.Select(r => r.ParentId).ToArray(), rows.Select(r => r.CreatedAt.ToUnixTimeMilliseconds()).ToArray(),
                rows.Select(r => DueTime.ToStored(r.AvailableAt)).ToArray(), rows.Select(r => r.BatchId).ToArray(), rows.Select(r => r.Capped).ToArray());
        }

        private static void AddTimers(NpgsqlBatch batch, IReadOnlyList<GrainCommit> grains)
        {
            // The last change of a timer wins (one statement may not touch a row twice).
            var changes = grains.SelectMany(g => g.Timers.Select(t => (Grain: g.Id, t.Name, t.DueAt)))
                .GroupBy(t => (t.Grain, t.Name)).Select(g => g.Last()).ToArray();
            var set = changes.Where(t => t.DueAt is not null).ToArray();
            var cleared = changes.Where(t => t.DueAt is null).ToArray();
            if (set.Length > 0)
            {
                Add(batch, PostgresSql.SetTimers, set.Select(t => t.Grain.Type.ToString()).ToArray(), set.Select(t => t.Grain.Key.ToString()).ToArray(),
                    set.Select(t => t.Name).ToArray(), set.Select(t => DueTime.ToStored(t.DueAt!.Value)).ToArray());
            }
            if (cleared.Length > 0)
            {
                Add(batch, PostgresSql.ClearTimers, cleared.Select(t => t.Grain.Type.ToString()).ToArray(), cleared.Select(t => t.Grain.Key.ToString()).ToArray(),
                    cleared.Select(t => t.Name).ToArray());
            }
        }

        private static NpgsqlBatchCommand Add(NpgsqlBatch batch, string sql, params object?[] values)
        {
            var command = Bind(new NpgsqlBatchCommand(sql), values);
            batch.BatchCommands.Add(command);
            return command;
        }
    }
}
