import createClient, { type Client } from "openapi-fetch";
import { LeveeApiError, isTransient } from "./errors.js";
import { type CallPolicy, type RetryOptions, defaultRetry, retryingFetch, sleep } from "./http.js";
import { ndjsonBody } from "./ndjson.js";
import type { paths } from "./schema.js";
import { LeveeEventSource, parseSse } from "./sse.js";
import {
  type ApiKey, type ApprovalDecision, type ApprovalTicket, type Batch, type BatchItem, type BatchItemsResult, type ChildrenPage, type Claim,
  type CreateBatchRequest, type CreateExecutionRequest, type CreatedApiKey, type EventItem, type EventPage, type EventsAccepted, type Execution,
  type ExecutionError, type ExecutionEvent, type ExecutionPage, type ExecutionStatus, type Heartbeat, type OutputRange, type StatusRequest, isTerminal,
} from "./types.js";

export interface LeveeClientOptions extends RetryOptions {
  /** The gateway, e.g. `http://127.0.0.1:5080`. */
  baseUrl: string;
  /** A tenant key (or the admin key for the admin calls). */
  apiKey: string;
  /** The fetch to send with (default: the global one). */
  fetch?: typeof fetch;
}

/** Options every call takes. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** A create's options: pass your own key to make it safe across processes (an order id). */
export interface CreateOptions extends CallOptions {
  idempotencyKey?: string;
}

export interface ListExecutionsQuery {
  status?: ExecutionStatus;
  task?: string;
  queue?: string;
  parentId?: string;
  batchId?: string;
  limit?: number;
  cursor?: string;
}

export interface StreamOptions extends CallOptions {
  /** Start after this sequence number (0: from the beginning). */
  afterSeq?: number;
}

export interface FailOptions extends CallOptions {
  /** False fails for good whatever attempts are left (default true). */
  retryable?: boolean;
  retryAfterMs?: number;
  cost?: number;
}

type Api = Client<paths, `${string}/${string}`>;
type Result<T> = { data?: T; error?: unknown; response: Response };

/** Reconnects in a row without a new event before a stream gives up with the last error. */
const maxFruitlessReconnects = 8;

/**
 * A typed client of Levee's REST API (v1). Every refusal is a {@link LeveeApiError}; transient
 * failures are retried with backoff and jitter, but only for calls that are safe to repeat: reads,
 * writes idempotent by contract (status writes, lease-fenced worker writes, cancels, decisions), and
 * creates, which always carry an `Idempotency-Key` that every retry of the same call re-sends.
 */
export class LeveeClient {
  readonly #api: Api;
  readonly #fetch: typeof fetch;
  readonly #retry: Required<RetryOptions>;
  readonly #baseUrl: string;
  readonly #auth: string;

  constructor(options: LeveeClientOptions) {
    if (!options.baseUrl) throw new TypeError("baseUrl is required");
    if (!options.apiKey) throw new TypeError("apiKey is required");
    this.#baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#auth = `Bearer ${options.apiKey}`;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#retry = {
      maxRetries: options.maxRetries ?? defaultRetry.maxRetries,
      retryDelayMs: options.retryDelayMs ?? defaultRetry.retryDelayMs,
      maxRetryDelayMs: options.maxRetryDelayMs ?? defaultRetry.maxRetryDelayMs,
      attemptTimeoutMs: options.attemptTimeoutMs ?? defaultRetry.attemptTimeoutMs,
    };
    this.#api = createClient<paths>({ baseUrl: this.#baseUrl, headers: { Authorization: this.#auth } }) as Api;
  }

  /** A new idempotency key for one logical create. */
  static newIdempotencyKey(): string {
    return `lvc_${globalThis.crypto.randomUUID().replaceAll("-", "")}`;
  }

  // ---- executions ----

  /**
   * Creates an execution (201), or returns it when the same request was made before (200: the same
   * id and definition, or the same idempotency key). A key is generated when none is given, and
   * every retry of this call re-sends it, so the call creates at most one.
   */
  createExecution(body: CreateExecutionRequest, options: CreateOptions = {}): Promise<Execution> {
    return this.#unwrap(
      this.#api.POST("/v1/executions", { body, headers: idempotency(options), signal: options.signal, fetch: this.#with({ retryable: true }) }),
    );
  }

  /** The execution (404 `not_found` when it does not exist). */
  getExecution(id: string, options: CallOptions = {}): Promise<Execution> {
    return this.#unwrap(this.#api.GET("/v1/executions/{id}", { params: { path: { id } }, signal: options.signal, fetch: this.#with({ retryable: true }) }));
  }

  /** One page of executions, newest first. */
  listExecutions(query: ListExecutionsQuery = {}, options: CallOptions = {}): Promise<ExecutionPage> {
    const q = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
    return this.#unwrap(this.#api.GET("/v1/executions", { params: { query: q }, signal: options.signal, fetch: this.#with({ retryable: true }) }));
  }

  /** The execution once terminal, or as it is after `waitMs` (at most 60 000; check its status). A long poll. */
  getResult(id: string, waitMs: number, options: CallOptions = {}): Promise<Execution> {
    const wait = Math.round(Math.min(Math.max(waitMs, 0), 60_000));
    return this.#unwrap(
      this.#api.GET("/v1/executions/{id}/result", {
        params: { path: { id }, query: { waitMs: String(wait) } as never },
        signal: options.signal,
        fetch: this.#with({ retryable: true, waitMs: wait }),
      }),
    );
  }

  /** Long-polls {@link getResult} until the execution is terminal or the signal aborts. */
  async waitForResult(id: string, options: CallOptions = {}): Promise<Execution> {
    while (true) {
      const execution = await this.getResult(id, 60_000, options);
      if (isTerminal(execution.status)) return execution;
    }
  }

  /** Strict status write: `running` or a terminal status (the same status again is 200 unchanged, so it is retried). */
  writeStatus(id: string, body: StatusRequest, options: CallOptions = {}): Promise<Execution> {
    return this.#unwrap(
      this.#api.POST("/v1/executions/{id}/status", { params: { path: { id } }, body, signal: options.signal, fetch: this.#with({ retryable: true }) }),
    );
  }

  /** Fire-and-forget reports (at most 1000); retried, since the API merges at least once (give each a `seq`). */
  report(events: EventItem[], options: CallOptions = {}): Promise<EventsAccepted> {
    return this.#unwrap(this.#api.POST("/v1/events", { body: { events }, signal: options.signal, fetch: this.#with({ retryable: true }) }));
  }

  /** Appends output chunks. Not retried: a repeat would append them again. */
  appendOutput(id: string, chunks: unknown[], leaseId?: string, options: CallOptions = {}): Promise<OutputRange> {
    return this.#unwrap(
      this.#api.POST("/v1/executions/{id}/output", {
        params: { path: { id } },
        body: { chunks, leaseId } as never,
        signal: options.signal,
        fetch: this.#with({ retryable: false }),
      }),
    );
  }

  /** Cancels the execution (idempotent on a cancelled one; 409 `terminal_state` on another terminal status). */
  cancelExecution(id: string, reason?: string, options: CallOptions = {}): Promise<Execution> {
    return this.#unwrap(
      this.#api.POST("/v1/executions/{id}/cancel", { params: { path: { id } }, body: { reason }, signal: options.signal, fetch: this.#with({ retryable: true }) }),
    );
  }

  /** Deletes a terminal execution with its log (409 `not_terminal` before that). False when there was no such execution (or it was deleted before). */
  deleteExecution(id: string, options: CallOptions = {}): Promise<boolean> {
    return this.#deleted(this.#api.DELETE("/v1/executions/{id}", { params: { path: { id } }, signal: options.signal, fetch: this.#with({ retryable: true }) }));
  }

  /** A JSON page of the execution's events from `from` (1-based). */
  getEventsPage(id: string, from = 1, limit = 100, options: CallOptions = {}): Promise<EventPage> {
    return this.#unwrap(
      this.#api.GET("/v1/executions/{id}/events", {
        params: { path: { id }, query: { from: String(from), limit: String(limit) } as never },
        headers: { Accept: "application/json" },
        signal: options.signal,
        fetch: this.#with({ retryable: true }),
      }),
    ) as Promise<EventPage>;
  }

  /**
   * The execution's events over SSE, replayed after `afterSeq` then live, until the terminal event.
   * A dropped connection is resumed with `Last-Event-ID` (the last event yielded), and anything at or
   * below it is skipped, so the sequence has no gap and no duplicate.
   */
  streamEvents(id: string, options: StreamOptions = {}): AsyncGenerator<ExecutionEvent> {
    return this.#stream(`/v1/executions/${encodeURIComponent(id)}/events`, options);
  }

  /** A batch's events over SSE, resumed like {@link streamEvents}, until the batch's end. */
  streamBatchEvents(batchId: string, options: StreamOptions = {}): AsyncGenerator<ExecutionEvent> {
    return this.#stream(`/v1/batches/${encodeURIComponent(batchId)}/events`, options);
  }

  /**
   * An `EventSource`-compatible reader of the execution's events (`onmessage` never fires: every
   * event is named by its type, so listen with `addEventListener("succeeded", …)`, and `end` last).
   * It reconnects with `Last-Event-ID` after a drop; call `close()` after `end`.
   */
  eventSource(id: string, lastEventId = ""): LeveeEventSource {
    const path = `/v1/executions/${encodeURIComponent(id)}/events`;
    return new LeveeEventSource(this.#baseUrl + path, (last, signal) => this.#openStream(path, last, signal), lastEventId);
  }

  // ---- batches ----

  /** Creates a batch (phase 1), with an `Idempotency-Key` re-sent on every retry (generated when none is given). */
  createBatch(body: CreateBatchRequest, options: CreateOptions = {}): Promise<Batch> {
    return this.#unwrap(this.#api.POST("/v1/batches", { body, headers: idempotency(options), signal: options.signal, fetch: this.#with({ retryable: true }) }));
  }

  /** The batch with its live counts. */
  getBatch(batchId: string, options: CallOptions = {}): Promise<Batch> {
    return this.#unwrap(this.#api.GET("/v1/batches/{id}", { params: { path: { id: batchId } }, signal: options.signal, fetch: this.#with({ retryable: true }) }));
  }

  /** A page of the batch's children, by index. */
  listBatchExecutions(batchId: string, page: { limit?: number; cursor?: string } = {}, options: CallOptions = {}): Promise<ChildrenPage> {
    const query = Object.fromEntries(Object.entries(page).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
    return this.#unwrap(
      this.#api.GET("/v1/batches/{id}/executions", {
        params: { path: { id: batchId }, query: query as never },
        signal: options.signal,
        fetch: this.#with({ retryable: true }),
      }),
    );
  }

  /** Cancels (aborts) the batch and its children; idempotent on an aborted batch. */
  cancelBatch(batchId: string, reason?: string, options: CallOptions = {}): Promise<Batch> {
    return this.#unwrap(
      this.#api.POST("/v1/batches/{id}/cancel", { params: { path: { id: batchId } }, body: { reason }, signal: options.signal, fetch: this.#with({ retryable: true }) }),
    );
  }

  /** Pauses handing out the batch's work. */
  pauseBatch(batchId: string, reason?: string, options: CallOptions = {}): Promise<Batch> {
    return this.#unwrap(
      this.#api.POST("/v1/batches/{id}/pause", { params: { path: { id: batchId } }, body: { reason }, signal: options.signal, fetch: this.#with({ retryable: true }) }),
    ) as Promise<Batch>;
  }

  /** Resumes a paused batch. */
  resumeBatch(batchId: string, reason?: string, options: CallOptions = {}): Promise<Batch> {
    return this.#unwrap(
      this.#api.POST("/v1/batches/{id}/resume", { params: { path: { id: batchId } }, body: { reason }, signal: options.signal, fetch: this.#with({ retryable: true }) }),
    ) as Promise<Batch>;
  }

  /** Deletes a terminal batch with its children (409 `not_terminal` before that). False when there was no such batch (or it was deleted before). */
  deleteBatch(batchId: string, options: CallOptions = {}): Promise<boolean> {
    return this.#deleted(this.#api.DELETE("/v1/batches/{id}", { params: { path: { id: batchId } }, signal: options.signal, fetch: this.#with({ retryable: true }) }));
  }

  /**
   * Phase 2 in one request: streams `items` as NDJSON while they are produced (a streamed request
   * body, flat memory). Not retried, since the source is read once; see {@link uploadItems}.
   */
  sendItems(batchId: string, items: AsyncIterable<BatchItem> | Iterable<BatchItem>, options: CallOptions = {}): Promise<BatchItemsResult> {
    return this.#sendItems(batchId, items, () => true, options);
  }

  /**
   * Phase 2 with retries: streams the items (flat memory), and after a transient failure (a reset
   * connection, a 5xx) sends only what the API says is `missing`. What arrived before a failure is
   * known only to the server, so a request of one item (deduplicated if it had arrived) asks first.
   * The API lists the first 100 missing indexes: every index below the first of them arrived, so a
   * round resumes from there, or sends exactly those when fewer than 100 are left. Refusals (409
   * `batch_aborted`, 400 naming the bad line) are thrown at once; the last transient error after
   * `maxRounds`.
   * @param items a source that can be started again (a resumed round re-reads it and skips what arrived)
   */
  async uploadItems(
    batchId: string,
    items: () => AsyncIterable<BatchItem> | Iterable<BatchItem>,
    options: CallOptions & { maxRounds?: number } = {},
  ): Promise<BatchItemsResult> {
    const maxRounds = options.maxRounds ?? 5;
    if (maxRounds < 1) throw new RangeError("maxRounds must be at least 1");
    let include: (index: number) => boolean = () => true;
    let lastError: unknown;
    for (let round = 0; round < maxRounds; round++) {
      try {
        if (lastError !== undefined) {
          const first = await firstOf(items());
          if (first === undefined) throw new Error("The item source yielded nothing on a resumed round.");
          const probe = await this.#sendItems(batchId, [first], () => true, options);
          if (probe.sealed || probe.missing.length === 0) return probe;
          include = resumeFrom(probe.missing);
        }
        return await this.#sendItems(batchId, items(), include, options);
      } catch (error) {
        if (!isTransient(error) || options.signal?.aborted) throw error;
        lastError = error;
        await sleep(200 * (round + 1), options.signal);
      }
    }
    throw lastError;
  }

  // ---- workers ----

  /**
   * Claims up to `max` executions of `queue`, waiting up to `waitMs` (at most 30 000) for the first.
   * Not retried: a claim whose reply was lost would hand its executions to nobody until their
   * leases lapse, so the caller (the worker loop) decides when to claim again.
   */
  async claim(queue: string, workerId: string, claim: { max?: number; waitMs?: number } = {}, options: CallOptions = {}): Promise<Claim[]> {
    const waitMs = Math.round(Math.min(Math.max(claim.waitMs ?? 0, 0), 30_000));
    const reply = await this.#unwrap(
      this.#api.POST("/v1/queues/{queue}/claim", {
        params: { path: { queue } },
        body: { workerId, max: claim.max ?? 1, waitMs },
        signal: options.signal,
        fetch: this.#with({ retryable: false, waitMs }),
      }),
    );
    return reply.claims;
  }

  /** Extends the lease; `cancelRequested` says the execution was cancelled (stop). */
  heartbeat(id: string, leaseId: string, options: CallOptions = {}): Promise<Heartbeat> {
    return this.#unwrap(
      this.#api.POST("/v1/executions/{id}/heartbeat", { params: { path: { id } }, body: { leaseId }, signal: options.signal, fetch: this.#with({ retryable: true }) }),
    );
  }

  /** Completes the attempt (the same lease again returns the same result, so it is retried). */
  complete(id: string, leaseId: string, output?: unknown, cost?: number, options: CallOptions = {}): Promise<Execution> {
    return this.#unwrap(
      this.#api.POST("/v1/executions/{id}/complete", {
        params: { path: { id } },
        body: { leaseId, output, cost } as never,
        signal: options.signal,
        fetch: this.#with({ retryable: true }),
      }),
    );
  }

  /** Fails the attempt: retryable with attempts left, it is queued again after backoff (or `retryAfterMs`); else it fails for good. */
  fail(id: string, leaseId: string, error: ExecutionError, options: FailOptions = {}): Promise<Execution> {
    const body = { leaseId, error, retryable: options.retryable ?? true, retryAfterMs: options.retryAfterMs, cost: options.cost };
    return this.#unwrap(
      this.#api.POST("/v1/executions/{id}/fail", { params: { path: { id } }, body: body as never, signal: options.signal, fetch: this.#with({ retryable: true }) }),
    );
  }

  /** Gives the claim back unfinished: queued again at once, and the next claim continues the same attempt. */
  release(id: string, leaseId: string, options: CallOptions = {}): Promise<Execution> {
    return this.#unwrap(
      this.#api.POST("/v1/executions/{id}/release", { params: { path: { id } }, body: { leaseId }, signal: options.signal, fetch: this.#with({ retryable: true }) }),
    );
  }

  /** Suspends the execution until the batch is terminal; the next claim carries `execution.batchSummary`. */
  waitForBatch(id: string, leaseId: string, batchId: string, options: CallOptions = {}): Promise<Execution> {
    return this.#unwrap(
      this.#api.POST("/v1/executions/{id}/wait", { params: { path: { id } }, body: { leaseId, batchId }, signal: options.signal, fetch: this.#with({ retryable: true }) }),
    );
  }

  /** Pauses a queue: claims hand out nothing from it until it is resumed. */
  async pauseQueue(queue: string, reason?: string, options: CallOptions = {}): Promise<void> {
    await this.#unwrap(
      this.#api.POST("/v1/queues/{queue}/pause", { params: { path: { queue } }, body: { reason }, signal: options.signal, fetch: this.#with({ retryable: true }) }),
    );
  }

  /** Resumes a paused queue. */
  async resumeQueue(queue: string, reason?: string, options: CallOptions = {}): Promise<void> {
    await this.#unwrap(
      this.#api.POST("/v1/queues/{queue}/resume", { params: { path: { queue } }, body: { reason }, signal: options.signal, fetch: this.#with({ retryable: true }) }),
    );
  }

  // ---- approvals ----

  /** The lease holder asks for approval of a tool call: the execution becomes `waiting` and the lease is released. */
  requestApproval(
    id: string,
    leaseId: string,
    request: { toolCallId: string; tool: string; input?: unknown; timeoutMs?: number },
    options: CallOptions = {},
  ): Promise<ApprovalTicket> {
    return this.#unwrap(
      this.#api.POST("/v1/executions/{id}/approvals", {
        params: { path: { id } },
        body: { leaseId, ...request } as never,
        signal: options.signal,
        fetch: this.#with({ retryable: true }),
      }),
    );
  }

  /** Decides an approval; the first decision wins (409 `approval_conflict` for a different one). */
  decideApproval(id: string, toolCallId: string, approved: boolean, reason?: string, options: CallOptions = {}): Promise<ApprovalDecision> {
    return this.#unwrap(
      this.#api.POST("/v1/executions/{id}/approvals/{toolCallId}", {
        params: { path: { id, toolCallId } },
        body: { approved, reason },
        signal: options.signal,
        fetch: this.#with({ retryable: true }),
      }),
    );
  }

  /** Decides an approval by its hook token (`{executionId}:{toolCallId}`). */
  decideHook(token: string, approved: boolean, reason?: string, options: CallOptions = {}): Promise<ApprovalDecision> {
    return this.#unwrap(
      this.#api.POST("/v1/hooks/{token}", { params: { path: { token } }, body: { approved, reason }, signal: options.signal, fetch: this.#with({ retryable: true }) }),
    );
  }

  // ---- admin ----

  /** Creates a tenant key (admin key only); the secret is in `key` and nowhere else. Not retried: a repeat would mint a second key. */
  createApiKey(tenant: string, project: string, scopes?: string[], options: CallOptions = {}): Promise<CreatedApiKey> {
    return this.#unwrap(
      this.#api.POST("/v1/admin/keys", { body: { tenant, project, scopes } as never, signal: options.signal, fetch: this.#with({ retryable: false }) }),
    );
  }

  /** Every key, without secrets. */
  async listApiKeys(options: CallOptions = {}): Promise<ApiKey[]> {
    return (await this.#unwrap(this.#api.GET("/v1/admin/keys", { signal: options.signal, fetch: this.#with({ retryable: true }) }))).items;
  }

  /** Revokes a key; it stops working at once. False when there was no such key (or it was revoked before). */
  revokeApiKey(keyId: string, options: CallOptions = {}): Promise<boolean> {
    return this.#deleted(this.#api.DELETE("/v1/admin/keys/{id}", { params: { path: { id: keyId } }, signal: options.signal, fetch: this.#with({ retryable: true }) }));
  }

  // ---- plumbing ----

  #with(policy: CallPolicy) {
    return retryingFetch(this.#fetch, this.#retry, policy);
  }

  /** Fails with the typed problem, or returns the reply's body. */
  /**
   * A DELETE's answer: true when it deleted, false on a 404. A 404 is an answer, not an error,
   * because a retried DELETE cannot tell "never existed" from "deleted by my own earlier attempt
   * whose 204 was lost"; either way the resource is gone, which is what the caller asked for.
   */
  async #deleted(call: Promise<Result<unknown>>): Promise<boolean> {
    const { error, response } = await call;
    if (response.status === 404) return false;
    if (!response.ok) throw problemOf(response, error);
    return true;
  }

  async #unwrap<T>(call: Promise<Result<T>>): Promise<T> {
    const { data, error, response } = await call;
    if (!response.ok) throw problemOf(response, error);
    return data as T;
  }

  #sendItems(
    batchId: string,
    items: AsyncIterable<BatchItem> | Iterable<BatchItem>,
    include: (index: number) => boolean,
    options: CallOptions,
  ): Promise<BatchItemsResult> {
    const request = new Request(`${this.#baseUrl}/v1/batches/${encodeURIComponent(batchId)}/items`, {
      method: "POST",
      headers: { Authorization: this.#auth, "Content-Type": "application/x-ndjson", Accept: "application/json" },
      body: ndjsonBody(items, include),
      duplex: "half",
      signal: options.signal,
    } as RequestInit);
    return this.#json(this.#with({ retryable: false })(request));
  }

  async #json<T>(reply: Promise<Response>): Promise<T> {
    const response = await reply;
    if (!response.ok) throw await LeveeApiError.fromResponse(response);
    return (await response.json()) as T;
  }

  /** Opens an SSE stream after `last`; a transient failure to connect is retried by the retry loop. */
  #openStream(path: string, last: string, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { Authorization: this.#auth, Accept: "text/event-stream" };
    if (last && last !== "0") headers["Last-Event-ID"] = last;
    return this.#with({ retryable: true, streams: true })(new Request(this.#baseUrl + path, { headers, signal: signal ?? null }));
  }

  async *#stream(path: string, options: StreamOptions): AsyncGenerator<ExecutionEvent> {
    let last = options.afterSeq ?? 0;
    let fruitless = 0;
    let delay = 250;
    while (true) {
      let progressed = false;
      let dropped: unknown;
      const response = await this.#openStream(path, String(last), options.signal);
      if (!response.ok) throw await LeveeApiError.fromResponse(response);
      if (!response.body) throw new LeveeApiError(response.status, LeveeApiError.unexpectedResponse, "The event stream had no body.");
      try {
        for await (const message of parseSse(response.body, (ms) => (delay = ms))) {
          if (message.event === "end") return;
          const event = JSON.parse(message.data) as ExecutionEvent;
          if (event.seq <= last) continue; // already yielded before the reconnect
          last = event.seq;
          progressed = true;
          yield event;
        }
      } catch (error) {
        if (options.signal?.aborted || !isTransient(error)) throw error;
        dropped = error;
      }
      fruitless = progressed ? 0 : fruitless + 1;
      if (fruitless > maxFruitlessReconnects) throw dropped ?? new Error(`The event stream of ${path} kept closing without sending an event.`);
      await sleep(delay, options.signal);
    }
  }
}

function idempotency(options: CreateOptions): Record<string, string> {
  return { "Idempotency-Key": options.idempotencyKey ?? LeveeClient.newIdempotencyKey() };
}

function problemOf(response: Response, body: unknown): LeveeApiError {
  const problem = body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  const text = (name: string) => (typeof problem?.[name] === "string" ? (problem[name] as string) : undefined);
  const retryAfter = response.headers.get("retry-after");
  const seconds = retryAfter === null ? NaN : Number(retryAfter);
  return new LeveeApiError(
    response.status,
    text("code") ?? LeveeApiError.unexpectedResponse,
    text("detail") ?? text("title") ?? (response.statusText || undefined),
    text("currentStatus"),
    text("field"),
    Number.isFinite(seconds) ? seconds * 1000 : undefined,
    problem,
  );
}

/** Which indexes a round sends, from the first 100 missing: exactly those when fewer, else every index from the first. */
export function resumeFrom(missing: readonly number[]): (index: number) => boolean {
  if (missing.length === 0) return () => false;
  if (missing.length < 100) {
    const set = new Set(missing);
    return (index) => set.has(index);
  }
  const from = Math.min(...missing);
  return (index) => index >= from;
}

async function firstOf<T>(items: AsyncIterable<T> | Iterable<T>): Promise<T | undefined> {
  for await (const item of items) return item;
  return undefined;
}
