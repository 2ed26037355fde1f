import assert from "node:assert/strict";
import { LeveeEventSource, type ExecutionEvent } from "../src/index.js";
import { live, tenant, unique } from "./live.js";

/** A fetch that cuts each event stream after `cutAfter` bytes, the first `cuts` times, and records Last-Event-ID. */
function cuttingFetch(cutAfter: number, cuts: number, lastIds: (string | null)[]): typeof fetch {
  let left = cuts;
  return async (input, init) => {
    const request = new Request(input, init);
    const response = await fetch(request);
    if (!request.url.endsWith("/events") || request.headers.get("accept") !== "text/event-stream") return response;
    lastIds.push(request.headers.get("last-event-id"));
    if (left-- <= 0 || !response.body) return response;
    let sent = 0;
    const reader = response.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) return controller.close();
        const room = cutAfter - sent;
        if (value.length >= room) {
          controller.enqueue(value.slice(0, room));
          await reader.cancel();
          controller.error(new TypeError("terminated", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) }));
          return;
        }
        sent += value.length;
        controller.enqueue(value);
      },
    });
    return new Response(body, { status: response.status, headers: response.headers });
  };
}

async function executionWithEvents(chunks: number): Promise<string> {
  const client = await tenant();
  const e = await client.createExecution({ task: "t", queue: unique("q") });
  await client.writeStatus(e.id, { status: "running" });
  for (let i = 0; i < chunks; i++) await client.appendOutput(e.id, [`chunk ${i}`]);
  await client.writeStatus(e.id, { status: "succeeded", output: { done: true } });
  return e.id;
}

live("streamEvents resumes by Last-Event-ID after dropped connections, with no gap and no duplicate", async () => {
  const id = await executionWithEvents(12);
  const lastIds: (string | null)[] = [];
  // Cut mid-event (a byte count that falls inside an event), three times.
  const client = await tenant({ fetch: cuttingFetch(700, 3, lastIds) });
  const seqs: number[] = [];
  let last: ExecutionEvent | undefined;
  for await (const event of client.streamEvents(id)) {
    seqs.push(event.seq);
    last = event;
  }
  assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1), "1..n, in order, once each");
  assert.equal(last?.type, "succeeded");
  assert.ok(lastIds.length >= 4, `reconnected (${lastIds.length} connections)`);
  assert.equal(lastIds[0], null);
  assert.ok(lastIds.slice(1).every((v) => v !== null && Number(v) >= 1), `resumed with Last-Event-ID: ${lastIds.join(",")}`);
});

live("streamEvents from afterSeq, live until the terminal event", async () => {
  const client = await tenant();
  const e = await client.createExecution({ task: "t", queue: unique("q") });
  await client.writeStatus(e.id, { status: "running" });
  const seen: string[] = [];
  const reading = (async () => {
    for await (const event of client.streamEvents(e.id, { afterSeq: 1 })) seen.push(event.type);
  })();
  await client.appendOutput(e.id, ["a"]);
  await client.writeStatus(e.id, { status: "succeeded" });
  await reading;
  assert.equal(seen[0], "status");
  assert.ok(seen.includes("output"));
  assert.equal(seen.at(-1), "succeeded");
});

live("eventSource: an EventSource-compatible reader that reconnects with Last-Event-ID", async () => {
  const id = await executionWithEvents(6);
  const lastIds: (string | null)[] = [];
  const client = await tenant({ fetch: cuttingFetch(500, 2, lastIds) });
  const source = client.eventSource(id);
  source.reconnectMs = 10;
  const ids: string[] = [];
  let opens = 0;
  source.onopen = () => opens++;
  await new Promise<void>((resolve, reject) => {
    for (const type of ["created", "status", "output", "succeeded"]) source.addEventListener(type, (ev) => ids.push((ev as MessageEvent).lastEventId));
    source.addEventListener("end", () => resolve());
    source.onerror = () => {
      if (source.readyState === LeveeEventSource.CLOSED) reject(source.error);
    };
  });
  source.close();
  assert.equal(source.readyState, LeveeEventSource.CLOSED);
  assert.deepEqual(ids, Array.from({ length: ids.length }, (_, i) => String(i + 1)));
  assert.ok(opens >= 3, `opened ${opens} times`);
  assert.ok(lastIds.slice(1).every((v) => v !== null));
});

live("aborting the caller's signal ends a live stream", async () => {
  const client = await tenant();
  const e = await client.createExecution({ task: "t", queue: unique("q") });
  const controller = new AbortController();
  const seen: number[] = [];
  await assert.rejects(
    (async () => {
      for await (const event of client.streamEvents(e.id, { signal: controller.signal })) {
        seen.push(event.seq);
        controller.abort(); // the execution is not terminal: the stream would stay open
      }
    })(),
  );
  assert.deepEqual(seen, [1]);
});
