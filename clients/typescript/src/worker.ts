import type { LeveeClient } from "./client.js";
import { LeveeApiError } from "./errors.js";
import { sleep } from "./http.js";
import type { ApprovalTicket, Claim, Execution, ExecutionError } from "./types.js";

/** Why the worker stopped a job's handler (its `signal.reason`). */
export type StopReason = "cancelled" | "lease_lost" | "timed_out" | "shutdown";

/** What a handler ends with: complete, fail, or suspended (an approval or batch wait released the lease). */
export class JobResult {
  private constructor(
    readonly outcome: "complete" | "fail" | "suspended",
    readonly output?: unknown,
    readonly error?: ExecutionError,
    readonly retryable = true,
    readonly retryAfterMs?: number,
    readonly cost?: number,
  ) {}

  static complete(output?: unknown, cost?: number): JobResult {
    return new JobResult("complete", output, undefined, true, undefined, cost);
  }

  static fail(message: string, options: { type?: string; retryable?: boolean; retryAfterMs?: number; cost?: number } = {}): JobResult {
    return new JobResult("fail", undefined, { message, type: options.type ?? null } as ExecutionError, options.retryable ?? true, options.retryAfterMs, options.cost);
  }

  /** The job suspended itself (approval or batch wait): nothing is written; the next claim redelivers it. */
  static readonly suspended = new JobResult("suspended");
}

/** Thrown by a handler for a failure that no retry can fix: `fail` with `retryable: false`. */
export class NonRetryableError extends Error {
  override readonly name = "NonRetryableError";
}

/** Thrown by {@link Job.requestApproval} and {@link Job.waitForBatch} once the lease is released: the job is suspended. */
export class JobSuspended extends Error {
  override readonly name = "JobSuspended";
}

/** One claimed job, as its handler sees it. */
export interface Job {
  readonly execution: Execution;
  readonly attempt: number;
  readonly leaseId: string;
  readonly queue: string;
  /** The execution's input. */
  readonly input: unknown;
  /** Aborts when the job must stop: its reason is a {@link StopReason}. */
  readonly signal: AbortSignal;
  readonly client: LeveeClient;
  /** The decision on `toolCallId` when an earlier attempt asked for it and it was decided, else undefined. */
  approval(toolCallId: string): { approved: boolean; reason?: string | null } | undefined;
  /** Asks for approval and suspends: throws {@link JobSuspended}; the next claim carries the decision. */
  requestApproval(toolCallId: string, tool: string, input?: unknown, timeoutMs?: number): Promise<never>;
  /** Suspends until the batch is terminal: throws {@link JobSuspended}; the next claim carries `execution.batchSummary`. */
  waitForBatch(batchId: string): Promise<never>;
}

export type JobHandler = (job: Job) => Promise<JobResult | unknown>;

export interface WorkerOptions {
  queue: string;
  handler: JobHandler;
  /** Names this process in claims (default `worker-` and a random suffix). */
  workerId?: string;
  /** Jobs at once (default 1, at most 100 per claim). */
  concurrency?: number;
  /** How long one claim waits for work, in ms (default 20 000, at most 30 000). */
  claimWaitMs?: number;
  /** The longest pause after claims fail in a row, in ms (default 5000). */
  maxClaimBackoffMs?: number;
  /** Called with what the loop survived: a failed claim, a throwing handler, an end that could not be written. */
  onError?: (error: unknown, context: { executionId?: string; phase: "claim" | "handler" | "heartbeat" | "end" }) => void;
  /** Called once per job with how it ended. */
  onJobEnd?: (executionId: string, outcome: string) => void;
}

class Run {
  readonly controller = new AbortController();
  reason: StopReason | undefined;
  ended = false;
  finished!: Promise<void>;

  #deadline: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly claim: Claim) {
    // The server times the execution out at its deadline whatever the worker does; stopping the
    // handler at that instant (not at the next heartbeat, up to a third of a lease later) frees
    // the slot and stops work whose result could no longer be written.
    const untilDeadline = this.untilDeadlineMs;
    if (untilDeadline !== undefined) this.#deadline = setTimeout(() => this.stop("timed_out"), untilDeadline);
  }

  stop(reason: StopReason): void {
    if (this.reason) return;
    this.reason = reason;
    this.controller.abort(reason);
  }

  /** Clears the deadline timer once the job ended. */
  dispose(): void {
    clearTimeout(this.#deadline);
  }

  /** Time left until `deadlineAt`, on the server's clock (claimed at updatedAt); undefined without a deadline. */
  get untilDeadlineMs(): number | undefined {
    const deadline = Date.parse(this.claim.execution.deadlineAt ?? "");
    const updated = Date.parse(this.claim.execution.updatedAt ?? "");
    return Number.isFinite(deadline) && Number.isFinite(updated) ? Math.max(deadline - updated, 0) : undefined;
  }

  /** True for the one caller allowed to write the job's end. */
  tryEnd(): boolean {
    if (this.ended) return false;
    this.ended = true;
    return true;
  }

  /** A third of the lease, measured on the server's clock (claimed at updatedAt, expiring at leaseExpiresAt). */
  get heartbeatMs(): number {
    const updated = Date.parse(this.claim.execution.updatedAt ?? "");
    let lease = Date.parse(this.claim.leaseExpiresAt) - updated;
    if (!Number.isFinite(lease) || lease <= 0) lease = 30_000;
    return Math.max(Math.floor(lease / 3), 50);
  }
}

/**
 * A worker loop on one queue: long-poll claims as many jobs as it has free slots, runs the handler
 * of each with heartbeats at a third of the lease, and writes its end: complete (the handler's
 * value, or a {@link JobResult}), fail (the handler threw: retryable unless {@link NonRetryableError}),
 * or nothing when it suspended. A heartbeat that answers `cancelRequested`, or refuses the lease,
 * aborts the handler's signal. {@link stop} stops claiming, lets running jobs finish for a grace
 * period, then aborts them and releases their claims (`POST /v1/executions/{id}/release`), so they
 * are claimable again at once without using up an attempt.
 */
export class Worker {
  readonly workerId: string;
  readonly #client: LeveeClient;
  readonly #options: WorkerOptions;
  readonly #concurrency: number;
  readonly #running = new Map<string, Run>();
  readonly #stopClaiming = new AbortController();
  #loop: Promise<void> | undefined;

  constructor(client: LeveeClient, options: WorkerOptions) {
    this.#client = client;
    this.#options = options;
    this.#concurrency = Math.min(Math.max(options.concurrency ?? 1, 1), 100);
    this.workerId = options.workerId ?? `worker-${globalThis.crypto.randomUUID().slice(0, 8)}`;
  }

  /** Starts the loop; the promise settles once it stopped and every job ended. */
  start(): Promise<void> {
    this.#loop ??= this.#claimLoop();
    return this.#loop;
  }

  /** The jobs running now. */
  get running(): number {
    return this.#running.size;
  }

  /**
   * Stops claiming, waits up to `graceMs` (default 10 000) for running jobs to finish, then aborts
   * their handlers (`signal.reason` = "shutdown") and releases their claims.
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.#stopClaiming.abort("shutdown");
    const loop = this.#loop ?? Promise.resolve();
    const jobs = () => Promise.all([...this.#running.values()].map((r) => r.finished));
    const timer = sleep(graceMs).then(() => "late" as const);
    if ((await Promise.race([jobs().then(() => "done" as const), timer])) === "late") {
      for (const run of this.#running.values()) {
        run.stop("shutdown");
        // A handler that ignores its signal has a moment more, then its claim is released under it.
        void Promise.race([run.finished, sleep(Math.min(1000, graceMs))]).then(async () => {
          if (this.#running.has(run.claim.leaseId) && run.tryEnd()) await this.#release(run);
        });
      }
    }
    await loop;
  }

  async #claimLoop(): Promise<void> {
    const stop = this.#stopClaiming.signal;
    const inFlight = new Set<Promise<void>>();
    let failures = 0;
    while (!stop.aborted) {
      if (this.#running.size >= this.#concurrency) {
        await Promise.race([...inFlight, aborted(stop)]);
        continue;
      }
      let claims: Claim[];
      try {
        claims = await this.#client.claim(
          this.#options.queue,
          this.workerId,
          { max: this.#concurrency - this.#running.size, waitMs: this.#options.claimWaitMs ?? 20_000 },
          { signal: stop },
        );
        failures = 0;
      } catch (error) {
        if (stop.aborted) break;
        // The silo restarting, the network down, a bad key: keep the loop up and try again later.
        this.#options.onError?.(error, { phase: "claim" });
        failures++;
        const ceiling = Math.min(this.#options.maxClaimBackoffMs ?? 5000, 250 * 2 ** Math.min(failures - 1, 16));
        await sleep(ceiling / 2 + (Math.random() * ceiling) / 2, stop).catch(() => undefined);
        continue;
      }
      for (const claim of claims) {
        const run = new Run(claim);
        this.#running.set(claim.leaseId, run);
        const job = this.#run(run)
          .catch((error) => this.#options.onError?.(error, { executionId: claim.execution.id, phase: "end" }))
          .finally(() => {
            this.#running.delete(claim.leaseId);
            inFlight.delete(job);
          });
        run.finished = job;
        inFlight.add(job);
      }
    }
    await Promise.all(inFlight);
  }

  async #run(run: Run): Promise<void> {
    await Promise.resolve(); // off the claim loop: the handler's synchronous part must not delay the next claim
    const stopBeats = new AbortController();
    const beats = this.#heartbeats(run, stopBeats.signal);
    let result: JobResult | undefined;
    try {
      const value = await this.#options.handler(this.#job(run));
      result = value instanceof JobResult ? value : JobResult.complete(value);
    } catch (error) {
      if (error instanceof JobSuspended) result = JobResult.suspended;
      else if (run.reason && run.controller.signal.aborted) result = undefined; // stopped by the worker: decided below
      else {
        this.#options.onError?.(error, { executionId: run.claim.execution.id, phase: "handler" });
        const e = error instanceof Error ? error : new Error(String(error));
        result = JobResult.fail(e.message || e.name, { type: e.name, retryable: !(error instanceof NonRetryableError) });
      }
    } finally {
      run.dispose();
      stopBeats.abort();
      await beats;
    }
    // Not inside onJobEnd?.(…): an optional call skips evaluating its arguments when there is no callback.
    const outcome = await this.#end(run, result);
    this.#options.onJobEnd?.(run.claim.execution.id, outcome);
  }

  async #end(run: Run, result: JobResult | undefined): Promise<string> {
    if (result === undefined) {
      if (run.reason === "shutdown") return run.tryEnd() ? this.#release(run) : "released";
      return run.reason ?? "stopped";
    }
    if (result.outcome === "suspended") return "suspended";
    if (!run.tryEnd()) return "released"; // the shutdown released the claim under a handler that ignored its signal
    const { execution, leaseId } = run.claim;
    return this.#writeEnd(run, async () => {
      if (result.outcome === "complete") {
        await this.#client.complete(execution.id, leaseId, result.output, result.cost);
        return "completed";
      }
      await this.#client.fail(execution.id, leaseId, result.error!, { retryable: result.retryable, retryAfterMs: result.retryAfterMs, cost: result.cost });
      return "failed";
    });
  }

  #release(run: Run): Promise<string> {
    return this.#writeEnd(run, async () => {
      await this.#client.release(run.claim.execution.id, run.claim.leaseId, { signal: AbortSignal.timeout(5000) });
      return "released";
    });
  }

  /** Writes a job's end; a lease already gone is reported as such, any other failure leaves the lease to lapse (then a retry). */
  async #writeEnd(run: Run, write: () => Promise<string>): Promise<string> {
    try {
      return await write();
    } catch (error) {
      if (isLeaseGone(error)) return "lease_lost";
      this.#options.onError?.(error, { executionId: run.claim.execution.id, phase: "end" });
      return "end_failed";
    }
  }

  /** Heartbeats every third of the lease until stopped; stops the handler on a cancel or a refused lease. */
  async #heartbeats(run: Run, stop: AbortSignal): Promise<void> {
    const { execution, leaseId } = run.claim;
    while (!stop.aborted) {
      try {
        await sleep(run.heartbeatMs, stop);
      } catch {
        return;
      }
      try {
        const beat = await this.#client.heartbeat(execution.id, leaseId, { signal: stop });
        if (beat.cancelRequested) return run.stop("cancelled");
      } catch (error) {
        if (stop.aborted) return;
        if (isLeaseGone(error)) return run.stop("lease_lost");
        // Transient (the silo restarting): the lease may still hold; the next beat tries again.
        this.#options.onError?.(error, { executionId: execution.id, phase: "heartbeat" });
      }
    }
  }

  #job(run: Run): Job {
    const { execution, attempt, leaseId } = run.claim;
    const client = this.#client;
    return {
      execution,
      attempt,
      leaseId,
      queue: this.#options.queue,
      input: execution.input,
      signal: run.controller.signal,
      client,
      approval(toolCallId) {
        const found = execution.approvals?.find((a) => a.toolCallId === toolCallId && a.status !== "pending");
        return found ? { approved: found.status === "approved", reason: found.reason } : undefined;
      },
      async requestApproval(toolCallId, tool, input, timeoutMs): Promise<never> {
        const ticket: ApprovalTicket = await client.requestApproval(execution.id, leaseId, { toolCallId, tool, input, timeoutMs });
        throw new JobSuspended(`waiting for approval ${ticket.token}`);
      },
      async waitForBatch(batchId): Promise<never> {
        await client.waitForBatch(execution.id, leaseId, batchId);
        throw new JobSuspended(`waiting for batch ${batchId}`);
      },
    };
  }
}

/** The refusals that mean this worker no longer owns the job: its lease expired or was superseded, or the execution ended (or went). */
function isLeaseGone(error: unknown): boolean {
  return error instanceof LeveeApiError && ["lease_lost", "terminal_state", "not_found"].includes(error.code);
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve(), { once: true })));
}
