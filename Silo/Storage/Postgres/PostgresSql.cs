namespace Levee.Silo.Storage.Postgres;

/// <summary>
/// Every SQL statement of the PostgreSQL dialect, in one place. Parameters are positional
/// (<c>$1</c>…); the rows of a commit go in as arrays (<c>unnest</c>), so one statement writes all
/// of a kind however many there are (a batch's thousand children are a few statements, not thousands).
/// Times are Unix milliseconds, as in the SQLite dialect; identifiers compare and sort bytewise
/// (<c>COLLATE "C"</c>), whatever the database's collation, so list and claim order match SQLite's.
/// </summary>
internal static class PostgresSql
{
    /// <summary>The advisory lock every silo takes around its migration, so silos starting together migrate one after another.</summary>
    public const long MigrationLock = 0x6C65766565; // "levee"

    /// <summary>Schema migrations, applied in order; the index + 1 is the schema version.</summary>
    public static readonly string[] Migrations =
    [
        """
        CREATE TABLE grains (
            grain_type text COLLATE "C" NOT NULL,
            grain_key  text COLLATE "C" NOT NULL,
            version    bigint NOT NULL,
            last_seq   bigint NOT NULL,
            state      bytea NOT NULL,
            updated_at bigint NOT NULL,
            PRIMARY KEY (grain_type, grain_key));
        CREATE TABLE events (
            stream text COLLATE "C" NOT NULL,
            seq    bigint NOT NULL,
            type   text NOT NULL,
            data   bytea NOT NULL,
            time   bigint NOT NULL,
            PRIMARY KEY (stream, seq));
        CREATE TABLE execution_index (
            tenant       text COLLATE "C" NOT NULL,
            project      text COLLATE "C" NOT NULL,
            id           text COLLATE "C" NOT NULL,
            status       text COLLATE "C" NOT NULL,
            task         text COLLATE "C" NOT NULL,
            queue        text COLLATE "C" NOT NULL,
            parent_id    text COLLATE "C",
            created_at   bigint NOT NULL,
            available_at bigint NOT NULL,
            batch_id     text COLLATE "C",
            capped       boolean NOT NULL DEFAULT false,
            PRIMARY KEY (tenant, project, id));
        CREATE INDEX ix_execution_index_scope ON execution_index (tenant, project, created_at DESC, id DESC);
        CREATE INDEX ix_execution_index_status ON execution_index (tenant, project, status, created_at DESC, id DESC);
        CREATE INDEX ix_execution_index_claim ON execution_index (tenant, project, queue, available_at, id) WHERE status = 'queued' AND NOT capped;
        CREATE INDEX ix_execution_index_capped ON execution_index (tenant, project, batch_id, available_at, id) WHERE status = 'queued' AND capped;
        CREATE INDEX ix_execution_index_batch ON execution_index (tenant, project, batch_id, status) WHERE batch_id IS NOT NULL;
        CREATE TABLE api_keys (
            id          text COLLATE "C" PRIMARY KEY,
            tenant      text NOT NULL,
            project     text NOT NULL,
            scopes      text NOT NULL,
            secret_hash text NOT NULL UNIQUE,
            created_at  bigint NOT NULL,
            revoked_at  bigint);
        CREATE TABLE timers (
            grain_type  text COLLATE "C" NOT NULL,
            grain_key   text COLLATE "C" NOT NULL,
            name        text COLLATE "C" NOT NULL,
            due_at      bigint NOT NULL,
            lease_owner text,
            lease_until bigint,
            PRIMARY KEY (grain_type, grain_key, name));
        CREATE INDEX ix_timers_due ON timers (due_at);
        CREATE TABLE batch_children (
            batch_key text COLLATE "C" NOT NULL,
            idx       integer NOT NULL,
            reported  boolean NOT NULL DEFAULT false,
            PRIMARY KEY (batch_key, idx));
        CREATE TABLE outbox (
            id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            target_type text NOT NULL,
            target_key  text NOT NULL,
            kind        text NOT NULL,
            payload     text NOT NULL,
            created_at  bigint NOT NULL,
            lease_owner text,
            lease_until bigint);
        CREATE TABLE claim_holds (
            tenant  text COLLATE "C" NOT NULL,
            project text COLLATE "C" NOT NULL,
            kind    text COLLATE "C" NOT NULL,
            name    text COLLATE "C" NOT NULL,
            PRIMARY KEY (tenant, project, kind, name));
        CREATE TABLE capped_batches (
            tenant   text COLLATE "C" NOT NULL,
            project  text COLLATE "C" NOT NULL,
            queue    text COLLATE "C" NOT NULL,
            batch_id text COLLATE "C" NOT NULL,
            cap      integer NOT NULL,
            PRIMARY KEY (tenant, project, queue, batch_id));
        CREATE TABLE tenant_usage (
            tenant      text COLLATE "C" PRIMARY KEY,
            executions  bigint NOT NULL,
            event_bytes bigint NOT NULL);
        """,
    ];

    public const string LockMigrations = "SELECT pg_advisory_xact_lock($1)";
    public const string CreateSchemaVersion = "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY)";
    public const string ReadSchemaVersion = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
    public const string WriteSchemaVersion = "INSERT INTO schema_version (version) VALUES ($1)";

    public const string ReadGrain = "SELECT version, last_seq, state FROM grains WHERE grain_type = $1 AND grain_key = $2";

    public const string ReadGrains = "SELECT grain_key, version, last_seq, state FROM grains WHERE grain_type = $1 AND grain_key = ANY($2)";

    public const string ReadEvents = "SELECT seq, type, data, time FROM events WHERE stream = $1 AND seq >= $2 ORDER BY seq LIMIT $3";

    // The group commit: each command inside its own savepoint, so one that fails (a bug, a
    // constraint) is undone alone and fails alone; the rest of the group commits. One name for all
    // (the statements stay prepared): a command's savepoint is released before the next is made,
    // so undoing one whose savepoint was never made fails, and fails the group, instead of rolling
    // back to an earlier command's.
    public const string Savepoint = "SAVEPOINT command";
    public const string RollbackToSavepoint = "ROLLBACK TO SAVEPOINT command; RELEASE SAVEPOINT command";
    public const string ReleaseSavepoint = "RELEASE SAVEPOINT command";

    public const string InsertGrain = """
        INSERT INTO grains (grain_type, grain_key, version, last_seq, state, updated_at) VALUES ($1, $2, 1, $3, $4, $5)
        ON CONFLICT DO NOTHING
        """;

    public const string UpdateGrain = """
        UPDATE grains SET version = version + 1, last_seq = $4, state = $5, updated_at = $6
        WHERE grain_type = $1 AND grain_key = $2 AND version = $3
        """;

    /// <summary>Deletes a grain's state row if the version still matches (its log and timers go with it, see <see cref="Purge"/>).</summary>
    public const string DeleteGrain = "DELETE FROM grains WHERE grain_type = $1 AND grain_key = $2 AND version = $3";

    /// <summary>Creates a commit's spawns; returns the keys written, so one that already existed is named.</summary>
    public const string InsertSpawns = """
        INSERT INTO grains (grain_type, grain_key, version, last_seq, state, updated_at)
        SELECT grain_type, grain_key, 1, last_seq, state, $5 FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bytea[]) AS s(grain_type, grain_key, last_seq, state)
        ON CONFLICT DO NOTHING
        RETURNING grain_type, grain_key
        """;

    public const string InsertEvents = """
        INSERT INTO events (stream, seq, type, data, time)
        SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bytea[], $5::bigint[])
        """;

    public const string UpsertExecutionIndex = """
        INSERT INTO execution_index (tenant, project, id, status, task, queue, parent_id, created_at, available_at, batch_id, capped)
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::bigint[], $10::text[], $11::boolean[])
        ON CONFLICT (tenant, project, id) DO UPDATE SET status = excluded.status, available_at = excluded.available_at
        """;

    /// <summary>Sets timers; a timer set again is a new one, so whoever held the old one's lease lets it go.</summary>
    public const string SetTimers = """
        INSERT INTO timers (grain_type, grain_key, name, due_at)
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
        ON CONFLICT (grain_type, grain_key, name) DO UPDATE SET due_at = excluded.due_at, lease_owner = NULL, lease_until = NULL
        """;

    public const string ClearTimers = """
        DELETE FROM timers t USING unnest($1::text[], $2::text[], $3::text[]) AS c(grain_type, grain_key, name)
        WHERE t.grain_type = c.grain_type AND t.grain_key = c.grain_key AND t.name = c.name
        """;

    /// <summary>
    /// Everything stored under the given grains (state rows whatever their version, logs, timers,
    /// execution index rows): one row with the payload bytes and the executions removed.
    /// </summary>
    public const string Purge = """
        WITH g AS (
            DELETE FROM grains t USING unnest($1::text[], $2::text[]) AS p(grain_type, grain_key)
            WHERE t.grain_type = p.grain_type AND t.grain_key = p.grain_key),
        e AS (
            DELETE FROM events WHERE stream = ANY($3) RETURNING octet_length(data) AS bytes),
        t AS (
            DELETE FROM timers t USING unnest($1::text[], $2::text[]) AS p(grain_type, grain_key)
            WHERE t.grain_type = p.grain_type AND t.grain_key = p.grain_key),
        i AS (
            DELETE FROM execution_index t USING unnest($4::text[], $5::text[], $6::text[]) AS p(tenant, project, id)
            WHERE t.tenant = p.tenant AND t.project = p.project AND t.id = p.id
            RETURNING 1)
        SELECT COALESCE((SELECT SUM(bytes) FROM e), 0)::bigint, (SELECT COUNT(*) FROM i)
        """;

    public const string DeleteBatchChildren = "DELETE FROM batch_children WHERE batch_key = $1";

    public const string DeleteBatchChildrenAt = "DELETE FROM batch_children WHERE batch_key = $1 AND idx = ANY($2)";

    public const string InsertBatchChildren = "INSERT INTO batch_children (batch_key, idx) SELECT $1, unnest($2::integer[]) ON CONFLICT DO NOTHING";

    public const string MarkChildrenReported = "UPDATE batch_children SET reported = true WHERE batch_key = $1 AND idx = ANY($2)";

    public const string SetCappedBatch = """
        INSERT INTO capped_batches (tenant, project, queue, batch_id, cap) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (tenant, project, queue, batch_id) DO UPDATE SET cap = excluded.cap
        """;

    public const string ClearCappedBatch = "DELETE FROM capped_batches WHERE tenant = $1 AND project = $2 AND queue = $3 AND batch_id = $4";

    public const string SetClaimHold = "INSERT INTO claim_holds (tenant, project, kind, name) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";

    public const string ClearClaimHold = "DELETE FROM claim_holds WHERE tenant = $1 AND project = $2 AND kind = $3 AND name = $4";

    /// <summary>The outbox rows of a commit, in the order given (the identity follows it).</summary>
    public const string InsertOutbox = """
        INSERT INTO outbox (target_type, target_key, kind, payload, created_at)
        SELECT target_type, target_key, kind, payload, $5
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS m(target_type, target_key, kind, payload, n)
        ORDER BY n
        """;

    /// <summary>
    /// A tenant's committed usage, its row locked until the group commits: another silo's commit
    /// for the same tenant waits, so quotas hold across silos. The row is created if missing, so
    /// there is always one to lock.
    /// </summary>
    public const string LockTenantUsage = """
        INSERT INTO tenant_usage (tenant, executions, event_bytes) VALUES ($1, 0, 0)
        ON CONFLICT (tenant) DO UPDATE SET tenant = excluded.tenant
        RETURNING executions, event_bytes
        """;

    /// <summary>Adds a group commit's changes to the tenants' usage (in tenant order, so concurrent groups lock rows in one order).</summary>
    public const string AddTenantUsage = """
        INSERT INTO tenant_usage (tenant, executions, event_bytes)
        SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS u(tenant, executions, event_bytes) ORDER BY tenant
        ON CONFLICT (tenant) DO UPDATE
            SET executions = tenant_usage.executions + excluded.executions, event_bytes = tenant_usage.event_bytes + excluded.event_bytes
        """;

    public const string ReadTenantUsage = "SELECT executions, event_bytes FROM tenant_usage WHERE tenant = $1";

    public const string ReadAllTenantUsage = "SELECT tenant, executions, event_bytes FROM tenant_usage ORDER BY tenant";

    /// <summary>
    /// Claimable executions of a queue, oldest due first, skipping a paused queue, the children
    /// of paused batches and capped children (the literals match the partial claim index).
    /// </summary>
    public const string ClaimCandidates = """
        SELECT i.id, i.available_at FROM execution_index i
        WHERE i.tenant = $1 AND i.project = $2 AND i.queue = $3 AND i.status = 'queued' AND NOT i.capped AND i.available_at <= $4
          AND NOT EXISTS (SELECT 1 FROM claim_holds h WHERE h.tenant = $1 AND h.project = $2 AND h.kind = 'queue' AND h.name = $3)
          AND (i.batch_id IS NULL
               OR NOT EXISTS (SELECT 1 FROM claim_holds h WHERE h.tenant = $1 AND h.project = $2 AND h.kind = 'batch' AND h.name = i.batch_id))
        ORDER BY i.available_at, i.id
        LIMIT $5
        """;

    /// <summary>Claimable children of one capped batch, oldest due first, unless it or its queue is paused.</summary>
    public const string CappedClaimCandidates = """
        SELECT i.id, i.available_at FROM execution_index i
        WHERE i.tenant = $1 AND i.project = $2 AND i.batch_id = $4 AND i.status = 'queued' AND i.capped AND i.available_at <= $5
          AND NOT EXISTS (SELECT 1 FROM claim_holds h WHERE h.tenant = $1 AND h.project = $2 AND h.kind = 'queue' AND h.name = $3)
          AND NOT EXISTS (SELECT 1 FROM claim_holds h WHERE h.tenant = $1 AND h.project = $2 AND h.kind = 'batch' AND h.name = $4)
        ORDER BY i.available_at, i.id
        LIMIT $6
        """;

    /// <summary>The <c>claim_holds.kind</c> of a hold (the literals <see cref="ClaimCandidates"/> matches).</summary>
    public static string HoldKind(Levee.Grains.Storage.ClaimHoldKind kind) => kind switch
    {
        Levee.Grains.Storage.ClaimHoldKind.Batch => "batch",
        Levee.Grains.Storage.ClaimHoldKind.Queue => "queue",
        _ => throw new InvalidOperationException($"Unexpected hold kind {kind} — a bug."),
    };

    public const string CappedBatches = "SELECT batch_id, cap FROM capped_batches WHERE tenant = $1 AND project = $2 AND queue = $3";

    public const string ExecutionExists = "SELECT 1 FROM execution_index WHERE tenant = $1 AND project = $2 AND id = $3";

    public const string CountLeased = "SELECT COUNT(*) FROM execution_index WHERE tenant = $1 AND project = $2 AND batch_id = $3 AND status = 'running'";

    /// <summary>
    /// A page of executions, newest first; optional filters are <c>($n IS NULL OR col = $n)</c>, so
    /// one statement serves every combination. The state row's key is the index row's key spelled
    /// as a grain key (<c>tenant/project/id</c>).
    /// </summary>
    public const string ListExecutions = """
        SELECT g.version, g.last_seq, g.state, i.created_at, i.id
        FROM execution_index i JOIN grains g ON g.grain_type = $1 AND g.grain_key = i.tenant || '/' || i.project || '/' || i.id
        WHERE i.tenant = $2 AND i.project = $3
          AND ($4::text IS NULL OR i.status = $4)
          AND ($5::text IS NULL OR i.task = $5)
          AND ($6::text IS NULL OR i.queue = $6)
          AND ($7::text IS NULL OR i.parent_id = $7)
          AND ($8::text IS NULL OR i.batch_id = $8)
          AND ($9::bigint IS NULL OR i.created_at < $9 OR (i.created_at = $9 AND i.id < $10::text))
        ORDER BY i.created_at DESC, i.id DESC
        LIMIT $11
        """;

    public const string BatchStatusCounts = """
        SELECT status, COUNT(*) FROM execution_index WHERE tenant = $1 AND project = $2 AND batch_id = $3 GROUP BY status
        """;

    public const string StatusCounts = "SELECT status, COUNT(*) FROM execution_index GROUP BY status";

    /// <summary>A project's queued executions by queue: how many, how many due at <c>$3</c>, and since when the oldest due one waits.</summary>
    public const string QueueDepths = """
        SELECT queue, COUNT(*), COUNT(*) FILTER (WHERE available_at <= $3), MIN(available_at) FILTER (WHERE available_at <= $3)
        FROM execution_index
        WHERE tenant = $1 AND project = $2 AND status = 'queued'
        GROUP BY queue ORDER BY queue
        LIMIT $4
        """;

    /// <summary>A project's batches with an unfinished child; batch ids sort by creation time, so newest first.</summary>
    public const string BatchesInFlight = """
        SELECT DISTINCT batch_id FROM execution_index
        WHERE tenant = $1 AND project = $2 AND batch_id IS NOT NULL AND status IN ('queued', 'running', 'waiting')
        ORDER BY batch_id DESC
        LIMIT $3
        """;

    /// <summary>
    /// Claims due timers for this silo (<c>$3</c>) until <c>$4</c>: rows nobody holds, rows whose
    /// lease ran out (their silo died or hung), and the silo's own (which it reads again, as on
    /// SQLite, until it removes or postpones them). Rows another silo is claiming right now are
    /// skipped, not waited for.
    /// </summary>
    public const string ClaimDueTimers = """
        WITH due AS (
            SELECT grain_type, grain_key, name FROM timers
            WHERE due_at <= $1 AND (lease_until IS NULL OR lease_until < $1 OR lease_owner = $3)
            ORDER BY due_at
            LIMIT $2
            FOR UPDATE SKIP LOCKED)
        UPDATE timers t SET lease_owner = $3, lease_until = $4
        FROM due WHERE t.grain_type = due.grain_type AND t.grain_key = due.grain_key AND t.name = due.name
        RETURNING t.grain_type, t.grain_key, t.name, t.due_at
        """;

    /// <summary>When the next timer can be claimed by this silo (<c>$1</c>): its due time, or when another silo's lease on it runs out.</summary>
    public const string NextTimerDue = """
        SELECT MIN(CASE WHEN lease_until IS NULL OR lease_owner = $1 THEN due_at ELSE GREATEST(due_at, lease_until) END) FROM timers
        """;

    /// <summary>Moves a timer whose delivery failed (and lets its lease go), unless the grain has set it again meanwhile.</summary>
    public const string PostponeTimer = """
        UPDATE timers SET due_at = $5, lease_owner = NULL, lease_until = NULL
        WHERE grain_type = $1 AND grain_key = $2 AND name = $3 AND due_at = $4
        """;

    /// <summary>Removes delivered timers unless the grain has set one again for another time.</summary>
    public const string DeleteDeliveredTimers = """
        DELETE FROM timers t USING unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS d(grain_type, grain_key, name, due_at)
        WHERE t.grain_type = d.grain_type AND t.grain_key = d.grain_key AND t.name = d.name AND t.due_at = d.due_at
        """;

    /// <summary>Claims the oldest outbox messages for this silo, with the same lease rules as <see cref="ClaimDueTimers"/>.</summary>
    public const string ClaimOutbox = """
        WITH next AS (
            SELECT id FROM outbox
            WHERE lease_until IS NULL OR lease_until < $1 OR lease_owner = $3
            ORDER BY id
            LIMIT $2
            FOR UPDATE SKIP LOCKED)
        UPDATE outbox o SET lease_owner = $3, lease_until = $4
        FROM next WHERE o.id = next.id
        RETURNING o.id, o.target_type, o.target_key, o.kind, o.payload, o.created_at
        """;

    public const string DeleteOutbox = "DELETE FROM outbox WHERE id = ANY($1)";

    public const string InsertApiKey = """
        INSERT INTO api_keys (id, tenant, project, scopes, secret_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)
        """;

    public const string ListApiKeys = "SELECT id, tenant, project, scopes, created_at FROM api_keys WHERE revoked_at IS NULL ORDER BY created_at, id";

    public const string RevokeApiKey = "UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL";

    public const string FindApiKey = "SELECT id, tenant, project, scopes, created_at FROM api_keys WHERE secret_hash = $1 AND revoked_at IS NULL";

    /// <summary>Which of a chunk's indexes the batch has already accepted.</summary>
    public const string ExistingBatchChildren = "SELECT idx FROM batch_children WHERE batch_key = $1 AND idx = ANY($2)";

    /// <summary>A round's child rows with whether the batch counted each already.</summary>
    public const string CountedBatchChildren = "SELECT idx, reported FROM batch_children WHERE batch_key = $1 AND idx = ANY($2)";

    public const string BatchChildIndexes = "SELECT idx FROM batch_children WHERE batch_key = $1 AND idx >= $2 ORDER BY idx LIMIT $3";

    /// <summary>The first indexes below the run count that have no row.</summary>
    public const string MissingBatchChildren = """
        SELECT n FROM generate_series(0, $2 - 1) AS n
        WHERE NOT EXISTS (SELECT 1 FROM batch_children c WHERE c.batch_key = $1 AND c.idx = n)
        ORDER BY n
        LIMIT $3
        """;

    public const string Ping = "SELECT 1";

    /// <summary>Commits of the database so far (the benchmark's transactions per execution).</summary>
    public const string CommittedTransactions = "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()";
}
