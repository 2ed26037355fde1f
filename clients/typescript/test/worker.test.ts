import assert from "node:assert/strict";
import { JobResult, NonRetryableError, Worker, type Execution, type LeveeClient } from "../src/index.js";
import { live, tenant, unique } from "./live.js";

/** Resolves with the outcome of each job the worker ends, by execution id. */
function outcomes(): { onJobEnd: (id: string, outcome: string) => void; of: (id: string) => Promise<string> } {
  const waiting = new Map<string, (o: string) => void>();
  const done = new Map<string, string>();
  return {
    onJobEnd(id, outcome) {
      done.set(id, outcome);
      waiting.get(id)?.(outcome);
    },
    of: (id) => (done.has(id) ? Promise.resolve(done.get(id)!) : new Promise((resolve) => waiting.set(id, resolve))),
  };
}

async function eventTypes(client: LeveeClient, id: string): Promise<string[]> {
  return (await client.getEventsPage(id, 1, 1000)).items.map((e) => e.type);
}

live("the worker claims, runs the handler and completes with its value", async () => {
  const client = await tenant();
  const queue = unique("images");
  const ends = outcomes();
  const worker = new Worker(client, { queue, concurrency: 4, claimWaitMs: 1000, onJobEnd: ends.onJobEnd, handler: async (job) => ({ resized: (job.input as { url: string }).url }) });
  const running = worker.start();
  const created = await Promise.all([1, 2, 3].map((i) => client.createExecution({ task: "resize", queue, input: { url: `${i}.png` } })));
  const done = await Promise.all(created.map((e) => client.waitForResult(e.id)));
  await worker.stop();
  await running;
  assert.deepEqual(done.map((e) => e.status), ["succeeded", "succeeded", "succeeded"]);
  assert.deepEqual(done.map((e) => e.output), [{ resized: "1.png" }, { resized: "2.png" }, { resized: "3.png" }]);
  assert.equal(await ends.of(created[0]!.id), "completed");
});

live("a handler that throws fails the attempt with its error, and the loop keeps running", async () => {
  const client = await tenant();
  const queue = unique("q");
  const errors: string[] = [];
  const worker = new Worker(client, {
    queue,
    claimWaitMs: 1000,
    onError: (_e, c) => errors.push(c.phase),
    handler: async (job) => {
      if ((job.input as { kind: string }).kind === "boom") throw new Error("boom");
      if ((job.input as { kind: string }).kind === "fatal") throw new NonRetryableError("bad input");
      return JobResult.complete({ ok: true }, 0.5);
    },
  });
  void worker.start();
  const boom = await client.createExecution({ task: "t", queue, input: { kind: "boom" }, retry: { maxAttempts: 1 } });
  const fatal = await client.createExecution({ task: "t", queue, input: { kind: "fatal" }, retry: { maxAttempts: 5 } });
  const fine = await client.createExecution({ task: "t", queue, input: { kind: "fine" } });
  const [b, f, ok] = await Promise.all([boom, fatal, fine].map((e) => client.waitForResult(e.id)));
  await worker.stop();
  assert.equal(b!.status, "failed");
  assert.equal(b!.error?.message, "boom");
  assert.equal(f!.status, "failed");
  assert.equal(f!.attempt, 1, "non-retryable: no second attempt");
  assert.equal(ok!.status, "succeeded");
  assert.equal(ok!.cost, 0.5);
  assert.ok(errors.includes("handler"));
});

live("a cancel reaches the handler through its signal at the next heartbeat (a third of the lease)", async () => {
  const client = await tenant();
  const queue = unique("q");
  const ends = outcomes();
  let reason: unknown;
  let started!: () => void;
  const claimed = new Promise<void>((resolve) => (started = resolve));
  const worker = new Worker(client, {
    queue,
    claimWaitMs: 1000,
    onJobEnd: ends.onJobEnd,
    handler: (job) =>
      new Promise((_, reject) => {
        started();
        job.signal.addEventListener("abort", () => {
          reason = job.signal.reason;
          reject(new Error("stopped"));
        });
      }),
  });
  void worker.start();
  const e = await client.createExecution({ task: "t", queue, timeouts: { heartbeatMs: 1500 } });
  await claimed;
  await client.cancelExecution(e.id, "no longer needed");
  assert.equal(await ends.of(e.id), "cancelled");
  assert.equal(reason, "cancelled");
  await worker.stop();
  assert.equal((await client.getExecution(e.id)).status, "cancelled");
});

live("a hung handler is stopped at the execution deadline itself, before any heartbeat, and nothing more is written", async () => {
  const client = await tenant();
  const queue = unique("q");
  const ends = outcomes();
  let reason: unknown;
  const worker = new Worker(client, {
    queue,
    claimWaitMs: 1000,
    onJobEnd: ends.onJobEnd,
    handler: (job) =>
      new Promise((_, reject) =>
        job.signal.addEventListener("abort", () => {
          reason = job.signal.reason;
          reject(new Error("stopped"));
        }),
      ),
  });
  void worker.start();
  // A 120 s lease puts the first heartbeat 40 s after the claim; only the deadline (5 s, room for a
  // slow first claim on a busy machine) can end the job within the 30 s allowed below.
  const e = await client.createExecution({ task: "t", queue, timeouts: { executionMs: 5000, heartbeatMs: 120_000 } });
  assert.equal(Date.parse(e.deadlineAt ?? "") - Date.parse(e.createdAt ?? ""), 5000);
  const late = new Promise<string>((resolve) => setTimeout(() => resolve("not ended within 30 s"), 30_000).unref());
  assert.equal(await Promise.race([ends.of(e.id), late]), "timed_out");
  assert.equal(reason, "timed_out");
  await worker.stop();
  // The worker stops at the deadline on its own clock; the server's deadline timer may fire a moment later.
  assert.equal((await client.waitForResult(e.id)).status, "timed_out");
});

live("stop releases running claims: queued again at once, same attempt, a released event", async () => {
  const client = await tenant();
  const queue = unique("q");
  let started!: () => void;
  const claimed = new Promise<void>((resolve) => (started = resolve));
  const worker = new Worker(client, {
    queue,
    claimWaitMs: 1000,
    handler: (job) =>
      new Promise((_, reject) => {
        started();
        job.signal.addEventListener("abort", () => reject(job.signal.reason));
      }),
  });
  void worker.start();
  const e = await client.createExecution({ task: "t", queue, retry: { maxAttempts: 1 } });
  await claimed;
  await worker.stop(0);
  const after: Execution = await client.getExecution(e.id);
  assert.equal(after.status, "queued");
  assert.equal(after.attempt, 1);
  assert.ok((await eventTypes(client, e.id)).includes("released"));
  // The next worker continues the same attempt and completes it.
  const next = new Worker(client, { queue, claimWaitMs: 1000, handler: async (job) => ({ attempt: job.attempt }) });
  void next.start();
  const done = await client.waitForResult(e.id);
  await next.stop();
  assert.equal(done.status, "succeeded");
  assert.deepEqual(done.output, { attempt: 1 });
});

live("a zombie's writes are fenced with lease_lost and change nothing", async () => {
  const client = await tenant();
  const queue = unique("q");
  const e = await client.createExecution({ task: "t", queue });
  const [first] = await client.claim(queue, "w1", { waitMs: 1000 });
  assert.ok(first);
  await client.release(e.id, first.leaseId);
  const [second] = await client.claim(queue, "w2", { waitMs: 1000 });
  assert.ok(second);
  await assert.rejects(client.complete(e.id, first.leaseId, { zombie: true }), { code: "lease_lost", status: 409 });
  await client.complete(e.id, second.leaseId, { ok: true });
  assert.deepEqual((await client.getExecution(e.id)).output, { ok: true });
});

live("approvals suspend the job; the next claim carries the decision", async () => {
  const client = await tenant();
  const queue = unique("q");
  const worker = new Worker(client, {
    queue,
    claimWaitMs: 1000,
    handler: async (job) => {
      const decision = job.approval("refund-1");
      if (!decision) return job.requestApproval("refund-1", "refund", { amount: 30 });
      return { refunded: decision.approved };
    },
  });
  void worker.start();
  const e = await client.createExecution({ task: "t", queue });
  for await (const event of client.streamEvents(e.id)) if (event.type === "approval_requested") break;
  await client.decideHook(`${e.id}:refund-1`, true, "ok");
  const done = await client.waitForResult(e.id);
  await worker.stop();
  assert.equal(done.status, "succeeded");
  assert.deepEqual(done.output, { refunded: true });
});
