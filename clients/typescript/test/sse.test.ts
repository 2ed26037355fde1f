import assert from "node:assert/strict";
import { test } from "node:test";
import { parseSse, type SseMessage } from "../src/index.js";

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function all(body: ReadableStream<Uint8Array>, onRetry?: (ms: number) => void): Promise<SseMessage[]> {
  const out: SseMessage[] = [];
  for await (const m of parseSse(body, onRetry)) out.push(m);
  return out;
}

test("parseSse: fields, multi-line data, comments, and ids that persist", async () => {
  const messages = await all(streamOf(": keep-alive\n", "id: 1\nevent: created\ndata: {\"a\":1}\n\n", "data: one\ndata: two\n\n", "id\ndata\n\n"));
  assert.deepEqual(messages, [
    { event: "created", data: '{"a":1}', lastEventId: "1" },
    { event: "message", data: "one\ntwo", lastEventId: "1" },
    { event: "message", data: "", lastEventId: "" },
  ]);
});

test("parseSse: CRLF, CR and LF line ends, split anywhere across chunks, and a leading BOM", async () => {
  const text = "\ufeffid: 7\r\nevent: status\r\ndata: x\r\n\r\nid: 8\rdata: y\r\rid: 9\ndata:z\n\n";
  const expected = [
    { event: "status", data: "x", lastEventId: "7" },
    { event: "message", data: "y", lastEventId: "8" },
    { event: "message", data: "z", lastEventId: "9" },
  ];
  for (let split = 1; split < text.length; split++) {
    assert.deepEqual(await all(streamOf(text.slice(0, split), text.slice(split))), expected, `split at ${split}`);
  }
});

test("parseSse: retry sets the reconnection delay; an event cut off before its blank line is dropped", async () => {
  let retry = 0;
  const messages = await all(streamOf("retry: 1500\n\ndata: whole\n\ndata: cut"), (ms) => (retry = ms));
  assert.equal(retry, 1500);
  assert.deepEqual(messages.map((m) => m.data), ["whole"]);
});
