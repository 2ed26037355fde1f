import { AttemptTimeoutError, LeveeApiError, isTransient } from "./errors.js";

/** How the client retries transient failures (5xx, 408, 429 with Retry-After, timeouts, resets). */
export interface RetryOptions {
  /** Retries after the first attempt (default 3; 0 turns retries off). */
  maxRetries?: number;
  /** The first backoff, in ms (default 200); it doubles per retry, with jitter. */
  retryDelayMs?: number;
  /** The longest backoff, in ms (default 5000). */
  maxRetryDelayMs?: number;
  /** How long one attempt may wait for the reply's headers, in ms (default 30000), on top of a long poll's wait. */
  attemptTimeoutMs?: number;
}

/** What the retry loop may do with one call. */
export interface CallPolicy {
  /** Safe to send again: a read, a write idempotent by contract, or a create with an Idempotency-Key. */
  retryable: boolean;
  /** The server may hold the request this long (a long poll), added to the attempt timeout. */
  waitMs?: number;
  /** The caller reads the reply as a stream (SSE), so its body is handed over unread. */
  streams?: boolean;
}

export type Fetch = (input: Request) => Promise<Response>;

export const defaultRetry: Required<RetryOptions> = { maxRetries: 3, retryDelayMs: 200, maxRetryDelayMs: 5000, attemptTimeoutMs: 30_000 };

/**
 * Wraps `fetch` with the retry loop of one call: each attempt sends a clone of the request (so a
 * retry re-sends the same body and the same Idempotency-Key), times out on its own, and only a
 * call marked retryable is ever repeated, so a non-idempotent POST is sent once.
 */
export function retryingFetch(inner: typeof fetch, options: Required<RetryOptions>, policy: CallPolicy): Fetch {
  return async (request) => {
    for (let attempt = 0; ; attempt++) {
      const last = !policy.retryable || attempt >= options.maxRetries;
      const controller = new AbortController();
      const onAbort = () => controller.abort(request.signal.reason);
      if (request.signal.aborted) onAbort();
      else request.signal.addEventListener("abort", onAbort, { once: true });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new AttemptTimeoutError(`no reply within ${options.attemptTimeoutMs + (policy.waitMs ?? 0)} ms`));
      }, options.attemptTimeoutMs + (policy.waitMs ?? 0));
      let response: Response;
      try {
        const copy = last ? request : request.clone();
        response = await inner(new Request(copy, { signal: controller.signal }));
      } catch (error) {
        request.signal.removeEventListener("abort", onAbort);
        if (request.signal.aborted) throw request.signal.reason ?? error;
        const failure = timedOut ? new AttemptTimeoutError(`no reply within ${options.attemptTimeoutMs + (policy.waitMs ?? 0)} ms`, { cause: error }) : error;
        if (last || !isTransient(failure)) throw failure;
        await sleep(backoff(options, attempt), request.signal);
        continue;
      } finally {
        // The timeout covers the wait for the headers; a stream's body may stay open for as long as it lasts.
        clearTimeout(timer);
      }
      // The caller's signal stays linked for the reply's lifetime: aborting it also ends a streamed body.
      if (!last && isTransientStatus(response)) {
        request.signal.removeEventListener("abort", onAbort);
        const retryAfter = (await LeveeApiError.fromResponse(response)).retryAfterMs;
        await sleep(Math.max(backoff(options, attempt), retryAfter ?? 0), request.signal);
        continue;
      }
      if (policy.streams) return response;
      // Read the body inside the loop: a connection that breaks while it is read is a failed
      // attempt like one that breaks before the headers, and is retried the same way.
      try {
        const body = await response.arrayBuffer();
        const init = { status: response.status, statusText: response.statusText, headers: response.headers };
        return new Response(NULL_BODY_STATUSES.has(response.status) ? null : body, init);
      } catch (error) {
        if (request.signal.aborted) throw request.signal.reason ?? error;
        if (last || !isTransient(error)) throw error;
        await sleep(backoff(options, attempt), request.signal);
      } finally {
        request.signal.removeEventListener("abort", onAbort);
      }
    }
  };
}

/** Statuses whose `Response` must be built without a body. */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

function isTransientStatus(response: Response): boolean {
  if (response.status === 429) return response.headers.has("retry-after");
  return response.status >= 500 || response.status === 408;
}

/** Exponential with equal jitter, capped: the n-th retry waits between half and all of min(delay × 2^n, max). */
export function backoff(options: Pick<Required<RetryOptions>, "retryDelayMs" | "maxRetryDelayMs">, attempt: number): number {
  const ceiling = Math.min(options.maxRetryDelayMs, options.retryDelayMs * 2 ** Math.min(attempt, 20));
  return ceiling / 2 + (Math.random() * ceiling) / 2;
}

/** Waits `ms`, or rejects with the signal's reason once it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
