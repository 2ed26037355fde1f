import assert from "node:assert/strict";
import { LeveeApiError, LeveeClient } from "../src/index.js";
import { live, tenant, unique, url } from "./live.js";

async function refusal(call: Promise<unknown>): Promise<LeveeApiError> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof LeveeApiError, `expected a LeveeApiError, got ${String(error)}`);
    return error;
  }
  assert.fail("the call succeeded");
}

live("a wrong key is a typed 401 unauthorized", async () => {
  const client = new LeveeClient({ baseUrl: url!, apiKey: "lvk_not_a_key" });
  const error = await refusal(client.getExecution("anything"));
  assert.equal(error.status, 401);
  assert.equal(error.code, "unauthorized");
});

live("an unknown id is a typed 404 not_found", async () => {
  const client = await tenant();
  const error = await refusal(client.getExecution(unique("missing")));
  assert.equal(error.status, 404);
  assert.equal(error.code, "not_found");
});

live("a late write to a terminal execution is 409 terminal_state with currentStatus", async () => {
  const client = await tenant();
  const e = await client.createExecution({ task: "t", queue: unique("q") });
  await client.writeStatus(e.id, { status: "running" });
  await client.writeStatus(e.id, { status: "succeeded", output: { ok: true } });
  const error = await refusal(client.writeStatus(e.id, { status: "failed" }));
  assert.equal(error.status, 409);
  assert.equal(error.code, "terminal_state");
  assert.equal(error.currentStatus, "succeeded");
});

live("a bad body is 400 validation_failed naming the field", async () => {
  const client = await tenant();
  const e = await client.createExecution({ task: "t", queue: unique("q") });
  const error = await refusal(client.release(e.id, ""));
  assert.equal(error.status, 400);
  assert.equal(error.code, "validation_failed");
  assert.equal(error.field, "leaseId");
});

live("create: the same Idempotency-Key returns the same execution", async () => {
  const client = await tenant();
  const key = unique("order");
  const body = { task: "send-email", queue: unique("q"), input: { to: "ada@example.com" } };
  const first = await client.createExecution(body, { idempotencyKey: key });
  const again = await client.createExecution(body, { idempotencyKey: key });
  assert.equal(again.id, first.id);
  const other = await refusal(client.createExecution({ ...body, input: { to: "bob@example.com" } }, { idempotencyKey: key }));
  assert.equal(other.code, "idempotency_key_mismatch");
});

live("create: a reply lost after the server acted is retried with the same Idempotency-Key, and creates one execution", async () => {
  const keys: string[] = [];
  let calls = 0;
  const flaky: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    keys.push(request.headers.get("idempotency-key") ?? "");
    const response = await fetch(request);
    if (++calls <= 2) {
      await response.body?.cancel();
      throw new TypeError("fetch failed", { cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }) });
    }
    return response;
  };
  const client = await tenant({ fetch: flaky });
  const tag = unique("tag");
  const queue = unique("q");
  const e = await client.createExecution({ task: "t", queue, tags: [tag] });
  assert.equal(calls, 3);
  assert.equal(new Set(keys).size, 1, "every attempt re-sent the same key");
  assert.match(keys[0]!, /^lvc_/);
  const page = await (await tenant()).listExecutions({ queue });
  assert.deepEqual(page.items.map((x) => x.id), [e.id]);
});

live("a reply whose body breaks while it is read is retried", async () => {
  let calls = 0;
  const cutting: typeof fetch = async (input, init) => {
    const response = await fetch(new Request(input, init));
    if (++calls > 1) return response;
    // The headers arrive, then the connection breaks after the first byte of the body.
    const reader = response.body!.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { value } = await reader.read();
        controller.enqueue(value!.subarray(0, 1));
        await reader.cancel();
        controller.error(new TypeError("terminated", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) }));
      },
    });
    return new Response(body, { status: response.status, headers: response.headers });
  };
  const e = await (await tenant()).createExecution({ task: "t", queue: unique("q") });
  const read = await (await tenant({ fetch: cutting })).getExecution(e.id);
  assert.equal(read.id, e.id);
  assert.equal(calls, 2);
});

live("delete: a 204 lost after the server acted is retried, and answers false (gone); a first delete answers true", async () => {
  const plain = await tenant();
  const queue = unique("q");
  const first = await plain.createExecution({ task: "t", queue });
  const second = await plain.createExecution({ task: "t", queue });
  await plain.cancelExecution(first.id);
  await plain.cancelExecution(second.id);
  let calls = 0;
  const losing: typeof fetch = async (input, init) => {
    const response = await fetch(new Request(input, init));
    if (++calls > 1) return response;
    await response.body?.cancel();
    throw new TypeError("fetch failed", { cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }) });
  };
  assert.equal(await (await tenant({ fetch: losing })).deleteExecution(first.id), false);
  assert.equal(calls, 2);
  assert.equal((await refusal(plain.getExecution(first.id))).status, 404);
  assert.equal(await plain.deleteExecution(second.id), true);
  assert.equal(await plain.deleteExecution(second.id), false);
  assert.equal(await plain.deleteExecution(unique("never")), false);
});

live("5xx replies are retried for reads, and a call that is not safe to repeat is sent once", async () => {
  let calls = 0;
  const failing: typeof fetch = async (input, init) => {
    calls++;
    const request = new Request(input, init);
    if (calls <= 2) return new Response(JSON.stringify({ code: "unavailable" }), { status: 503, headers: { "content-type": "application/problem+json" } });
    return fetch(request);
  };
  const client = await tenant({ fetch: failing });
  const e = await client.createExecution({ task: "t", queue: unique("q") }); // 2 × 503, then through
  assert.equal(calls, 3);
  calls = 0;
  const error = await refusal(client.appendOutput(e.id, ["chunk"])); // not retried: a repeat would append twice
  assert.equal(calls, 1);
  assert.equal(error.status, 503);
  assert.equal(error.code, "unavailable");
});

live("retries give up after maxRetries with the last error", async () => {
  let calls = 0;
  const down: typeof fetch = async () => {
    calls++;
    throw new TypeError("fetch failed");
  };
  const client = new LeveeClient({ baseUrl: url!, apiKey: "x", fetch: down, maxRetries: 2, retryDelayMs: 1 });
  await assert.rejects(client.getExecution("x"), TypeError);
  assert.equal(calls, 3);
});
