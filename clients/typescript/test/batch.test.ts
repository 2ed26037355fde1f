import assert from "node:assert/strict";
import { LeveeApiError, type BatchItem } from "../src/index.js";
import { live, tenant, unique } from "./live.js";

async function* items(count: number): AsyncGenerator<BatchItem> {
  for (let index = 0; index < count; index++) yield { index, input: { n: index } };
}

live("sendItems streams an async iterable as NDJSON and seals the batch", async () => {
  const client = await tenant();
  const batch = await client.createBatch({ runCount: 500, task: "resize", queue: unique("q") });
  const result = await client.sendItems(batch.id, items(500));
  assert.equal(result.sealed, true);
  assert.equal(result.itemsAccepted, 500);
  assert.deepEqual(result.missing, []);
  const page = await client.listBatchExecutions(batch.id, { limit: 5 });
  assert.equal(page.items.length, 5);
});

live("uploadItems resumes from missing after a request that broke off mid-stream", async () => {
  let broken = 0;
  // The first items request delivers only its first 150 lines to the server, then "resets".
  const cutting: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    if (!request.url.endsWith("/items") || broken++ > 0) return fetch(request);
    const text = await request.text();
    const partial = text.split("\n").slice(0, 150).join("\n") + "\n";
    const response = await fetch(new Request(request.url, { method: "POST", headers: request.headers, body: partial }));
    await response.body?.cancel();
    throw new TypeError("fetch failed", { cause: Object.assign(new Error("reset"), { code: "ECONNRESET" }) });
  };
  const client = await tenant({ fetch: cutting });
  const batch = await client.createBatch({ runCount: 400, task: "resize", queue: unique("q") });
  const result = await client.uploadItems(batch.id, () => items(400));
  assert.equal(result.sealed, true);
  assert.deepEqual(result.missing, []);
  const status = await client.getBatch(batch.id);
  assert.equal(status.runCount, 400);
  assert.equal(status.enqueuedCount, 400);
});

live("items for an aborted batch are a typed 409 batch_aborted", async () => {
  const client = await tenant();
  const batch = await client.createBatch({ runCount: 10, task: "resize", queue: unique("q") });
  await client.cancelBatch(batch.id, "test");
  await assert.rejects(client.uploadItems(batch.id, () => items(10)), (error: unknown) => {
    assert.ok(error instanceof LeveeApiError);
    assert.equal(error.status, 409);
    assert.equal(error.code, "batch_aborted");
    return true;
  });
});
