/** One server-sent event as the HTML spec dispatches it: `data` lines joined with "\n". */
export interface SseMessage {
  /** The event type (`message` when the event named none). */
  event: string;
  data: string;
  /** The last event id seen on the stream so far (the spec's "last event ID"). */
  lastEventId: string;
}

/**
 * Parses `text/event-stream` as the HTML spec's EventSource does: lines end with CRLF, LF or CR;
 * a leading BOM is dropped; `:` lines are comments; `data` lines accumulate; a blank line
 * dispatches (nothing when no data arrived); `id` persists until changed (one with NUL is
 * ignored); `retry` sets the reconnection delay, reported through `onRetry`.
 */
export async function* parseSse(body: ReadableStream<Uint8Array>, onRetry?: (ms: number) => void, lastEventId = ""): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder("utf-8");
  let buffer = "";
  let first = true;
  let data: string[] = [];
  let event = "";
  let id = lastEventId;
  let pendingCr = false;
  const reader = body.getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      let chunk = done ? decoder.decode() : decoder.decode(value, { stream: true });
      if (first && chunk.length > 0) {
        if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
        first = false;
      }
      // A CR at the end of the previous chunk already ended its line; a LF right after it belongs to it.
      if (pendingCr && chunk.startsWith("\n")) chunk = chunk.slice(1);
      pendingCr = false;
      buffer += chunk;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer.charCodeAt(i);
        if (c !== 10 && c !== 13) continue;
        const line = buffer.slice(start, i);
        if (c === 13) {
          if (i + 1 < buffer.length) {
            if (buffer.charCodeAt(i + 1) === 10) i++;
          } else {
            pendingCr = true;
          }
        }
        start = i + 1;
        if (line.length === 0) {
          if (data.length > 0) yield { event: event || "message", data: data.join("\n"), lastEventId: id };
          data = [];
          event = "";
          continue;
        }
        if (line.charCodeAt(0) === 58) continue; // ":" comment (keep-alive)
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? "" : line.slice(colon + 1);
        if (value.startsWith(" ")) value = value.slice(1);
        switch (field) {
          case "data":
            data.push(value);
            break;
          case "event":
            event = value;
            break;
          case "id":
            if (!value.includes("\0")) id = value;
            break;
          case "retry":
            if (/^\d+$/.test(value)) onRetry?.(Number(value));
            break;
          default:
            break; // unknown fields are ignored
        }
      }
      buffer = buffer.slice(start);
      if (done) return; // an event not ended by a blank line is discarded, as the spec says
    }
  } finally {
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** What `LeveeEventSource` needs to open one connection: a fetch of the stream after `lastEventId`. */
export type SseConnect = (lastEventId: string, signal: AbortSignal) => Promise<Response>;

/**
 * An `EventSource`-compatible reader over fetch (so it can send an `Authorization` header, which
 * the browser's EventSource cannot): `readyState`, `onopen`/`onmessage`/`onerror`,
 * `addEventListener(type)` for named events, `close()`, and reconnection with `Last-Event-ID` after
 * a drop, waiting the server's `retry` (default 1 s). A refusal (a non-2xx reply, or not
 * `text/event-stream`) fails the connection: `error`, then CLOSED, as EventSource does.
 */
export class LeveeEventSource extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSED = 2;

  readyState: number = 0;
  onopen: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent<string>) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  /** The last event id received; sent as `Last-Event-ID` on a reconnect. */
  lastEventId = "";
  /** The reconnection delay in ms (the server's `retry` field sets it). */
  reconnectMs = 1000;
  /** Why the source closed itself, when it did (the refusal or network error). */
  error: unknown;

  readonly #controller = new AbortController();

  constructor(
    readonly url: string,
    connect: SseConnect,
    lastEventId = "",
  ) {
    super();
    this.lastEventId = lastEventId;
    void this.#run(connect);
  }

  close(): void {
    this.readyState = 2;
    this.#controller.abort();
  }

  override dispatchEvent(event: Event): boolean {
    const handler = event.type === "open" ? this.onopen : event.type === "message" ? this.onmessage : event.type === "error" ? this.onerror : null;
    const result = super.dispatchEvent(event);
    (handler as ((ev: Event) => void) | null)?.call(this, event);
    return result;
  }

  async #run(connect: SseConnect): Promise<void> {
    const signal = this.#controller.signal;
    while (this.readyState !== 2) {
      let response: Response;
      try {
        response = await connect(this.lastEventId, signal);
      } catch (error) {
        if (signal.aborted) return;
        this.error = error;
        this.#reconnecting();
        if (!(await this.#wait())) return;
        continue;
      }
      const type = response.headers.get("content-type") ?? "";
      if (!response.ok || !/^text\/event-stream/i.test(type) || !response.body) {
        this.error = response;
        await response.body?.cancel().catch(() => undefined);
        this.readyState = 2;
        this.dispatchEvent(new Event("error"));
        return;
      }
      this.readyState = 1;
      this.dispatchEvent(new Event("open"));
      try {
        for await (const message of parseSse(response.body, (ms) => (this.reconnectMs = ms), this.lastEventId)) {
          this.lastEventId = message.lastEventId;
          if (this.readyState === 2) return;
          this.dispatchEvent(new MessageEvent(message.event, { data: message.data, lastEventId: message.lastEventId, origin: new URL(this.url).origin }));
        }
      } catch (error) {
        if (signal.aborted) return;
        this.error = error;
      }
      if (this.readyState === 2) return;
      this.#reconnecting();
      if (!(await this.#wait())) return;
    }
  }

  #reconnecting(): void {
    this.readyState = 0;
    this.dispatchEvent(new Event("error"));
  }

  #wait(): Promise<boolean> {
    if (this.readyState === 2) return Promise.resolve(false);
    return new Promise((resolve) => {
      const signal = this.#controller.signal;
      const timer = setTimeout(() => resolve(this.readyState !== 2), this.reconnectMs);
      signal.addEventListener("abort", () => (clearTimeout(timer), resolve(false)), { once: true });
    });
  }
}
