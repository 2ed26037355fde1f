namespace Levee.Silo.Storage.Sqlite;

/// <summary>Every SQL statement of the SQLite dialect, in one place.</summary>
internal static class SqliteSql
{
    /// <summary>Schema migrations, applied in order; the index + 1 is the schema version.</summary>
    public static readonly string[] Migrations =
    [
        """
        CREATE TABLE grains (
            grain_type TEXT NOT NULL,
            grain_key  TEXT NOT NULL,
            version    INTEGER NOT NULL,
            last_seq   INTEGER NOT NULL,
            state      BLOB NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (grain_type, grain_key));
        CREATE TABLE events (
            stream TEXT NOT NULL,
            seq    INTEGER NOT NULL,
            type   TEXT NOT NULL,
            data   BLOB NOT NULL,
            time   INTEGER NOT NULL,
            PRIMARY KEY (stream, seq));
        CREATE TABLE execution_index (
            grain_key  TEXT PRIMARY KEY,
            tenant     TEXT NOT NULL,
            project    TEXT NOT NULL,
            id         TEXT NOT NULL,
            status     TEXT NOT NULL,
            task       TEXT NOT NULL,
            queue      TEXT NOT NULL,
            parent_id  TEXT,
            created_at INTEGER NOT NULL);
        CREATE INDEX ix_execution_index_scope ON execution_index (tenant, project, created_at DESC, id DESC);
        CREATE INDEX ix_execution_index_status ON execution_index (tenant, project, status, created_at DESC, id DESC);
        CREATE TABLE idempotency (
            tenant       TEXT NOT NULL,
            project      TEXT NOT NULL,
            key          TEXT NOT NULL,
            request_hash TEXT NOT NULL,
            result_id    TEXT NOT NULL,
            created_at   INTEGER NOT NULL,
            expires_at   INTEGER NOT NULL,
            PRIMARY KEY (tenant, project, key));
        CREATE TABLE api_keys (
            id          TEXT PRIMARY KEY,
            tenant      TEXT NOT NULL,
            project     TEXT NOT NULL,
            scopes      TEXT NOT NULL,
            secret_hash TEXT NOT NULL UNIQUE,
            created_at  INTEGER NOT NULL,
            revoked_at  INTEGER);
        """,
        """
        ALTER TABLE execution_index ADD COLUMN available_at INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX ix_execution_index_claim ON execution_index (tenant, project, queue, status, available_at, id);
        CREATE TABLE timers (
            grain_type TEXT NOT NULL,
            grain_key  TEXT NOT NULL,
            name       TEXT NOT NULL,
            due_at     INTEGER NOT NULL,
            PRIMARY KEY (grain_type, grain_key, name));
        CREATE INDEX ix_timers_due ON timers (due_at);
        """,
        """
        ALTER TABLE execution_index ADD COLUMN batch_id TEXT;
        CREATE INDEX ix_execution_index_batch ON execution_index (tenant, project, batch_id, status) WHERE batch_id IS NOT NULL;
        CREATE TABLE batch_children (
            batch_key TEXT NOT NULL,
            idx       INTEGER NOT NULL,
            child_id  TEXT NOT NULL,
            outcome   TEXT,
            reported  INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (batch_key, idx)) WITHOUT ROWID;
        CREATE TABLE outbox (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            target_type TEXT NOT NULL,
            target_key  TEXT NOT NULL,
            kind        TEXT NOT NULL,
            payload     TEXT NOT NULL,
            created_at  INTEGER NOT NULL);
        """,
        // 4: Idempotency-Keys are bound by idempotency grains (rows of their own in `grains`), for
        // executions and batches alike; a finished child tells its batch through the outbox, so
        // the child row no longer records the outcome.
        """
        DROP TABLE idempotency;
        ALTER TABLE batch_children DROP COLUMN outcome;
        """,
        // 5: the log is keyed by (stream, seq) alone: one b-tree instead of a rowid table plus its
        // primary-key index, which every event (a million per batch) paid twice for.
        """
        CREATE TABLE events_v5 (
            stream TEXT NOT NULL,
            seq    INTEGER NOT NULL,
            type   TEXT NOT NULL,
            data   BLOB NOT NULL,
            time   INTEGER NOT NULL,
            PRIMARY KEY (stream, seq)) WITHOUT ROWID;
        INSERT INTO events_v5 (stream, seq, type, data, time) SELECT stream, seq, type, data, time FROM events;
        DROP TABLE events;
        ALTER TABLE events_v5 RENAME TO events;
        """,
        // 6: fewer b-trees and fewer bytes per execution (a batch writes a million at once).
        // - grains: keyed by (grain_type, grain_key) alone, one b-tree instead of a rowid table
        //   plus its primary-key index.
        // - execution_index: keyed by (tenant, project, id), which is the grain key spelled out
        //   (ResourceKey), so the grain_key column and its index go; every secondary index already
        //   ends in those columns, so none grows. The claim index holds queued rows only: that is
        //   all a claim reads, and a row leaves it when its execution starts.
        // - batch_children: a child's id is {batchId}.{index}; the row no longer repeats it.
        """
        CREATE TABLE grains_v6 (
            grain_type TEXT NOT NULL,
            grain_key  TEXT NOT NULL,
            version    INTEGER NOT NULL,
            last_seq   INTEGER NOT NULL,
            state      BLOB NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (grain_type, grain_key)) WITHOUT ROWID;
        INSERT INTO grains_v6 SELECT grain_type, grain_key, version, last_seq, state, updated_at FROM grains;
        DROP TABLE grains;
        ALTER TABLE grains_v6 RENAME TO grains;
        CREATE TABLE execution_index_v6 (
            tenant       TEXT NOT NULL,
            project      TEXT NOT NULL,
            id           TEXT NOT NULL,
            status       TEXT NOT NULL,
            task         TEXT NOT NULL,
            queue        TEXT NOT NULL,
            parent_id    TEXT,
            created_at   INTEGER NOT NULL,
            available_at INTEGER NOT NULL,
            batch_id     TEXT,
            PRIMARY KEY (tenant, project, id)) WITHOUT ROWID;
        INSERT INTO execution_index_v6
            SELECT tenant, project, id, status, task, queue, parent_id, created_at, available_at, batch_id FROM execution_index;
        DROP TABLE execution_index;
        ALTER TABLE execution_index_v6 RENAME TO execution_index;
        CREATE INDEX ix_execution_index_scope ON execution_index (tenant, project, created_at DESC, id DESC);
        CREATE INDEX ix_execution_index_status ON execution_index (tenant, project, status, created_at DESC, id DESC);
        CREATE INDEX ix_execution_index_claim ON execution_index (tenant, project, queue, available_at, id) WHERE status = 'queued';
        CREATE INDEX ix_execution_index_batch ON execution_index (tenant, project, batch_id, status) WHERE batch_id IS NOT NULL;
        CREATE TABLE batch_children_v6 (
            batch_key TEXT NOT NULL,
            idx       INTEGER NOT NULL,
            reported  INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (batch_key, idx)) WITHOUT ROWID;
        INSERT INTO batch_children_v6 SELECT batch_key, idx, reported FROM batch_children;
        DROP TABLE batch_children;
        ALTER TABLE batch_children_v6 RENAME TO batch_children;
        """,
        // 7: paused batches and queues (rows exist only while paused; the claim query skips what they cover).
        """
        CREATE TABLE claim_holds (
            tenant  TEXT NOT NULL,
            project TEXT NOT NULL,
            kind    TEXT NOT NULL,
            name    TEXT NOT NULL,
            PRIMARY KEY (tenant, project, kind, name)) WITHOUT ROWID;
        """,
        // 8: children of batches with ceilings.maxConcurrency are claimed per batch (their own
        // index, ordered within the batch), not with the queue's other work: a full batch's
        // queued children are then never scanned past by the claims of everything else.
        """
        ALTER TABLE execution_index ADD COLUMN capped INTEGER NOT NULL DEFAULT 0;
        DROP INDEX ix_execution_index_claim;
        CREATE INDEX ix_execution_index_claim ON execution_index (tenant, project, queue, available_at, id) WHERE status = 'queued' AND capped = 0;
        CREATE INDEX ix_execution_index_capped ON execution_index (tenant, project, batch_id, available_at, id) WHERE status = 'queued' AND capped = 1;
        CREATE TABLE capped_batches (
            tenant   TEXT NOT NULL,
            project  TEXT NOT NULL,
            queue    TEXT NOT NULL,
            batch_id TEXT NOT NULL,
            cap      INTEGER NOT NULL,
            PRIMARY KEY (tenant, project, queue, batch_id)) WITHOUT ROWID;
        """,
        // 9: what each tenant stores, kept by every commit (storage quotas, the admin usage API);
        // counted once here from what a database of an earlier version already holds. A log's
        // stream is its grain id, `{type}/{tenant}/{project}/{id}`, for executions and batches.
        """
        CREATE TABLE tenant_usage (
            tenant      TEXT PRIMARY KEY,
            executions  INTEGER NOT NULL,
            event_bytes INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO tenant_usage (tenant, executions, event_bytes)
            SELECT tenant, SUM(executions), SUM(event_bytes) FROM (
                SELECT tenant, COUNT(*) AS executions, 0 AS event_bytes FROM execution_index GROUP BY tenant
                UNION ALL
                SELECT substr(rest, 1, instr(rest, '/') - 1), 0, SUM(length(data)) FROM (
                    SELECT substr(stream, 5) AS rest, data FROM events WHERE stream LIKE 'exe/%' OR stream LIKE 'bat/%')
                GROUP BY 1)
            GROUP BY tenant;
        """,
    ];

    public const string CreateSchemaVersion = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)";
    public const string ReadSchemaVersion = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
    public const string WriteSchemaVersion = "INSERT INTO schema_version (version) VALUES ($version)";

    public const string ConnectionPragmas = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL; PRAGMA foreign_keys = OFF;";
    public const string EnableWal = "PRAGMA journal_mode = WAL";

    public const string ReadGrain = "SELECT version, last_seq, state FROM grains WHERE grain_type = $type AND grain_key = $key";

    /// <summary>State rows of several grains of one type (the keys are passed as a JSON array).</summary>
    public const string ReadGrains = """
        SELECT grain_key, version, last_seq, state FROM grains
        WHERE grain_type = $type AND grain_key IN (SELECT value FROM json_each($keys))
        """;

    /// <summary>Deletes a grain's state row if the version still matches (its log and timers go with it).</summary>
    public const string DeleteGrain = "DELETE FROM grains WHERE grain_type = $type AND grain_key = $key AND version = $version";

    public const string DeleteEvents = "DELETE FROM events WHERE stream = $stream";

    public const string DeleteTimers = "DELETE FROM timers WHERE grain_type = $type AND grain_key = $key";

    public const string PurgeGrain = "DELETE FROM grains WHERE grain_type = $type AND grain_key = $key";

    public const string DeleteExecutionIndex = "DELETE FROM execution_index WHERE tenant = $tenant AND project = $project AND id = $id";

    public const string DeleteBatchChild = "DELETE FROM batch_children WHERE batch_key = $batch_key AND idx = $idx";

    public const string DeleteBatchChildren = "DELETE FROM batch_children WHERE batch_key = $batch_key";

    public const string InsertGrain = """
        INSERT INTO grains (grain_type, grain_key, version, last_seq, state, updated_at)
        VALUES ($type, $key, 1, $last_seq, $state, $now)
        ON CONFLICT DO NOTHING
        """;

    public const string UpdateGrain = """
        UPDATE grains SET version = $version + 1, last_seq = $last_seq, state = $state, updated_at = $now
        WHERE grain_type = $type AND grain_key = $key AND version = $version
        """;

    public const string InsertEvent = "INSERT INTO events (stream, seq, type, data, time) VALUES ($stream, $seq, $type, $data, $time)";

    public const string ReadEvents = "SELECT seq, type, data, time FROM events WHERE stream = $stream AND seq >= $from ORDER BY seq LIMIT $limit";

    public const string UpsertExecutionIndex = """
        INSERT INTO execution_index (tenant, project, id, status, task, queue, parent_id, created_at, available_at, batch_id, capped)
        VALUES ($tenant, $project, $id, $status, $task, $queue, $parent_id, $created_at, $available_at, $batch_id, $capped)
        ON CONFLICT (tenant, project, id) DO UPDATE SET status = excluded.status, available_at = excluded.available_at
        """;

    /// <summary>
    /// Claimable executions of a queue, oldest due first (the literals let SQLite use the partial
    /// claim index), skipping a paused queue, the children of paused batches and capped children.
    /// </summary>
    public const string ClaimCandidates = """
        SELECT i.id, i.available_at FROM execution_index i
        WHERE i.tenant = $tenant AND i.project = $project AND i.queue = $queue AND i.status = 'queued' AND i.capped = 0 AND i.available_at <= $now
          AND NOT EXISTS (SELECT 1 FROM claim_holds h WHERE h.tenant = $tenant AND h.project = $project AND h.kind = 'queue' AND h.name = $queue)
          AND (i.batch_id IS NULL
               OR NOT EXISTS (SELECT 1 FROM claim_holds h WHERE h.tenant = $tenant AND h.project = $project AND h.kind = 'batch' AND h.name = i.batch_id))
        ORDER BY i.available_at, i.id
        LIMIT $limit
        """;

    /// <summary>The <c>claim_holds.kind</c> of a hold (the literals <see cref="ClaimCandidates"/> matches).</summary>
    public static string HoldKind(Levee.Grains.Storage.ClaimHoldKind kind) => kind switch
    {
        Levee.Grains.Storage.ClaimHoldKind.Batch => "batch",
        Levee.Grains.Storage.ClaimHoldKind.Queue => "queue",
        _ => throw new InvalidOperationException($"Unexpected hold kind {kind} — a bug."),
    };

    /// <summary>Claimable children of one capped batch, oldest due first, unless it or its queue is paused.</summary>
    public const string CappedClaimCandidates = """
        SELECT i.id, i.available_at FROM execution_index i
        WHERE i.tenant = $tenant AND i.project = $project AND i.batch_id = $batch_id AND i.status = 'queued' AND i.capped = 1 AND i.available_at <= $now
          AND NOT EXISTS (SELECT 1 FROM claim_holds h WHERE h.tenant = $tenant AND h.project = $project AND h.kind = 'queue' AND h.name = $queue)
          AND NOT EXISTS (SELECT 1 FROM claim_holds h WHERE h.tenant = $tenant AND h.project = $project AND h.kind = 'batch' AND h.name = $batch_id)
        ORDER BY i.available_at, i.id
        LIMIT $limit
        """;

    public const string CappedBatches = "SELECT batch_id, cap FROM capped_batches WHERE tenant = $tenant AND project = $project AND queue = $queue";

    public const string SetCappedBatch = """
        INSERT INTO capped_batches (tenant, project, queue, batch_id, cap) VALUES ($tenant, $project, $queue, $batch_id, $cap)
        ON CONFLICT DO UPDATE SET cap = excluded.cap
        """;

    public const string ClearCappedBatch = "DELETE FROM capped_batches WHERE tenant = $tenant AND project = $project AND queue = $queue AND batch_id = $batch_id";

    /// <summary>One row when the execution exists (the primary key).</summary>
    public const string ExecutionExists = "SELECT 1 FROM execution_index WHERE tenant = $tenant AND project = $project AND id = $id";

    /// <summary>Children of a batch holding a lease (covered by the batch index).</summary>
    public const string CountLeased = "SELECT COUNT(*) FROM execution_index WHERE tenant = $tenant AND project = $project AND batch_id = $batch_id AND status = 'running'";

    public const string SetClaimHold = "INSERT INTO claim_holds (tenant, project, kind, name) VALUES ($tenant, $project, $kind, $name) ON CONFLICT DO NOTHING";

    public const string ClearClaimHold = "DELETE FROM claim_holds WHERE tenant = $tenant AND project = $project AND kind = $kind AND name = $name";

    public const string SetTimer = """
        INSERT INTO timers (grain_type, grain_key, name, due_at) VALUES ($type, $key, $name, $due_at)
        ON CONFLICT (grain_type, grain_key, name) DO UPDATE SET due_at = excluded.due_at
        """;

    public const string ClearTimer = "DELETE FROM timers WHERE grain_type = $type AND grain_key = $key AND name = $name";

    public const string DueTimers = "SELECT grain_type, grain_key, name, due_at FROM timers WHERE due_at <= $now ORDER BY due_at LIMIT $limit";

    public const string NextTimerDue = "SELECT MIN(due_at) FROM timers";

    /// <summary>Moves a timer whose delivery failed, unless the grain has set it again meanwhile.</summary>
    public const string PostponeTimer = "UPDATE timers SET due_at = $retry_at WHERE grain_type = $type AND grain_key = $key AND name = $name AND due_at = $due_at";

    /// <summary>Removes a delivered timer unless the grain has set it again for another time.</summary>
    public const string DeleteDeliveredTimer = "DELETE FROM timers WHERE grain_type = $type AND grain_key = $key AND name = $name AND due_at = $due_at";

    /// <summary>
    /// A page of executions, newest first. Optional filters are written as
    /// <c>($x IS NULL OR col = $x)</c> so that one statement serves every combination. The state
    /// row's key is the index row's key spelled as a grain key (<c>tenant/project/id</c>).
    /// </summary>
    public const string ListExecutions = """
        SELECT g.version, g.last_seq, g.state, i.created_at, i.id
        FROM execution_index i JOIN grains g ON g.grain_type = $grain_type AND g.grain_key = i.tenant || '/' || i.project || '/' || i.id
        WHERE i.tenant = $tenant AND i.project = $project
          AND ($status IS NULL OR i.status = $status)
          AND ($task IS NULL OR i.task = $task)
          AND ($queue IS NULL OR i.queue = $queue)
          AND ($parent_id IS NULL OR i.parent_id = $parent_id)
          AND ($batch_id IS NULL OR i.batch_id = $batch_id)
          AND ($cursor_created IS NULL OR i.created_at < $cursor_created OR (i.created_at = $cursor_created AND i.id < $cursor_id))
        ORDER BY i.created_at DESC, i.id DESC
        LIMIT $limit
        """;

    /// <summary>Adds a group commit's change to a tenant's usage.</summary>
    public const string AddTenantUsage = """
        INSERT INTO tenant_usage (tenant, executions, event_bytes) VALUES ($tenant, $executions, $event_bytes)
        ON CONFLICT (tenant) DO UPDATE SET executions = executions + excluded.executions, event_bytes = event_bytes + excluded.event_bytes
        """;

    public const string ReadTenantUsage = "SELECT executions, event_bytes FROM tenant_usage WHERE tenant = $tenant";

    public const string ReadAllTenantUsage = "SELECT tenant, executions, event_bytes FROM tenant_usage ORDER BY tenant";

    /// <summary>Payload bytes of a log, counted before it is purged.</summary>
    public const string StreamBytes = "SELECT COALESCE(SUM(length(data)), 0) FROM events WHERE stream = $stream";

    public const string InsertApiKey = """
        INSERT INTO api_keys (id, tenant, project, scopes, secret_hash, created_at)
        VALUES ($id, $tenant, $project, $scopes, $secret_hash, $created_at)
        """;

    public const string ListApiKeys = "SELECT id, tenant, project, scopes, created_at FROM api_keys WHERE revoked_at IS NULL ORDER BY created_at, id";

    public const string RevokeApiKey = "UPDATE api_keys SET revoked_at = $now WHERE id = $id AND revoked_at IS NULL";

    public const string FindApiKey = "SELECT id, tenant, project, scopes, created_at FROM api_keys WHERE secret_hash = $secret_hash AND revoked_at IS NULL";

    public const string Ping = "SELECT 1";

    public const string InsertBatchChild = "INSERT INTO batch_children (batch_key, idx) VALUES ($batch_key, $idx) ON CONFLICT DO NOTHING";

    public const string MarkChildReported = "UPDATE batch_children SET reported = 1 WHERE batch_key = $batch_key AND idx = $idx";

    /// <summary>A round's child rows with whether the batch counted each already (the indexes are passed as a JSON array).</summary>
    public const string CountedBatchChildren = """
        SELECT idx, reported FROM batch_children
        WHERE batch_key = $batch_key AND idx IN (SELECT value FROM json_each($indexes))
        """;

    /// <summary>Which of a chunk's indexes the batch has already accepted (the chunk is passed as a JSON array).</summary>
    public const string ExistingBatchChildren = "SELECT idx FROM batch_children WHERE batch_key = $batch_key AND idx IN (SELECT value FROM json_each($indexes))";

    public const string BatchChildIndexes = "SELECT idx FROM batch_children WHERE batch_key = $batch_key AND idx >= $from ORDER BY idx LIMIT $limit";

    public const string BatchStatusCounts = """
        SELECT status, COUNT(*) FROM execution_index
        WHERE tenant = $tenant AND project = $project AND batch_id = $batch_id
        GROUP BY status
        """;

    /// <summary>A project's queued executions by queue (the status index's range for 'queued').</summary>
    public const string QueueDepths = """
        SELECT queue, COUNT(*), SUM(available_at <= $now), MIN(CASE WHEN available_at <= $now THEN available_at END)
        FROM execution_index
        WHERE tenant = $tenant AND project = $project AND status = 'queued'
        GROUP BY queue ORDER BY queue
        LIMIT $limit
        """;

    /// <summary>A project's batches with an unfinished child; batch ids sort by creation time, so newest first.</summary>
    public const string BatchesInFlight = """
        SELECT DISTINCT batch_id FROM execution_index
        WHERE tenant = $tenant AND project = $project AND batch_id IS NOT NULL AND status IN ('queued', 'running', 'waiting')
        ORDER BY batch_id DESC
        LIMIT $limit
        """;

    /// <summary>Every execution by status (the cluster view's totals; one pass over the status index).</summary>
    public const string StatusCounts = "SELECT status, COUNT(*) FROM execution_index GROUP BY status";

    public const string InsertOutbox = """
        INSERT INTO outbox (target_type, target_key, kind, payload, created_at) VALUES ($target_type, $target_key, $kind, $payload, $now)
        """;

    public const string ReadOutbox = "SELECT id, target_type, target_key, kind, payload, created_at FROM outbox ORDER BY id LIMIT $limit";

    public const string DeleteOutbox = "DELETE FROM outbox WHERE id = $id";

    // Each command of a group commit runs inside its own savepoint: a command that fails (a bug,
    // a constraint) is undone alone and fails alone; the rest of the group commits.
    public const string SavepointCommand = "SAVEPOINT command";
    public const string RollbackCommand = "ROLLBACK TO command";
    public const string ReleaseCommand = "RELEASE command";
}
