/**
 * The one error the API answers with: its `application/problem+json` body, typed. Every refusal
 * (401 `unauthorized`, 404 `not_found`, 409 `lease_lost`, 409 `batch_aborted`, …) is this error;
 * switch on `code`, never on the message.
 */
export class LeveeApiError extends Error {
  /** The code of a reply that carried no problem body (a proxy's 502, an empty 414…). */
  static readonly unexpectedResponse = "unexpected_response";

  override readonly name = "LeveeApiError";

  constructor(
    /** The HTTP status. */
    readonly status: number,
    /** The stable code, e.g. `not_found`, `lease_lost`, `terminal_state`. */
    readonly code: string,
    /** What happened, in words. */
    readonly detail?: string,
    /** The resource's status when the refusal is a state conflict (e.g. `succeeded`). */
    readonly currentStatus?: string,
    /** The field or header the refusal is about (e.g. `leaseId`). */
    readonly field?: string,
    /** How long to wait before trying again, in milliseconds, when the reply said (429 `rate_limited`). */
    readonly retryAfterMs?: number,
    /** The whole problem body, for members this type does not name (`usage`, `limit`, `line`…). */
    readonly problem?: Record<string, unknown>,
  ) {
    super(`${status} ${code}${detail ? `: ${detail}` : ""}`);
  }

  /** Reads a refusal: its problem body, or the bare status when it had none. */
  static async fromResponse(response: Response): Promise<LeveeApiError> {
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
    const type = response.headers.get("content-type") ?? "";
    let problem: Record<string, unknown> | undefined;
    if (/^application\/(problem\+)?json/i.test(type)) {
      try {
        const body: unknown = await response.json();
        if (body && typeof body === "object" && !Array.isArray(body)) problem = body as Record<string, unknown>;
      } catch {
        // not a problem body after all: reported by status below
      }
    } else {
      await response.body?.cancel().catch(() => undefined);
    }
    const text = (name: string) => (typeof problem?.[name] === "string" ? (problem[name] as string) : undefined);
    return new LeveeApiError(
      response.status,
      text("code") ?? LeveeApiError.unexpectedResponse,
      text("detail") ?? text("title") ?? (response.statusText || undefined),
      text("currentStatus"),
      text("field"),
      retryAfterMs,
      problem,
    );
  }
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** True when a later identical call may get another answer: a 5xx, 408, a 429 with Retry-After, a timeout, a reset or refused connection. */
export function isTransient(error: unknown): boolean {
  if (error instanceof LeveeApiError) return error.status >= 500 || error.status === 408 || error.retryAfterMs !== undefined;
  if (error instanceof AttemptTimeoutError) return true;
  if (error instanceof Error && error.name === "AbortError") return false; // the caller's own signal
  // fetch (undici) reports network failures as TypeError("fetch failed") with the socket error as cause,
  // and a body cut mid-stream as a TypeError ("terminated") or an error with a socket code.
  if (error instanceof TypeError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|UND_ERR_)/.test(code);
}

/** One attempt ran past its timeout (the retry pipeline's, not the caller's signal). */
export class AttemptTimeoutError extends Error {
  override readonly name = "AttemptTimeoutError";
}
