// Compiled (never run) against the client types generated from the served document: if a body,
// a response or a problem code used here drifts from the document, `tsc --noEmit` fails.
// The types are generated with `--default-non-nullable false`: a field with a default (retry's
// `maxAttempts`…) may be left out of a request, which openapi-typescript's default would forbid.
import type { components, paths } from "./generated/levee";

type Schemas = components["schemas"];
type Json<T> = T extends { content: { "application/json": infer Body } } ? Body : never;

type CreateExecution = NonNullable<paths["/v1/executions"]["post"]["requestBody"]>["content"]["application/json"];
type Created = Json<paths["/v1/executions"]["post"]["responses"][201]>;
type Claim = NonNullable<paths["/v1/queues/{queue}/claim"]["post"]["requestBody"]>["content"]["application/json"];
type Claimed = Json<paths["/v1/queues/{queue}/claim"]["post"]["responses"][200]>;
type Complete = NonNullable<paths["/v1/executions/{id}/complete"]["post"]["requestBody"]>["content"]["application/json"];
type CreateBatch = NonNullable<paths["/v1/batches"]["post"]["requestBody"]>["content"]["application/json"];
type BatchItem = NonNullable<paths["/v1/batches/{id}/items"]["post"]["requestBody"]>["content"]["application/x-ndjson"];
type Problem = Schemas["Problem"];

export const create: CreateExecution = { task: "send-email", queue: "emails", input: { to: "ada@example.com" }, retry: { maxAttempts: 5 } };
export const claim: Claim = { workerId: "worker-1", max: 10, waitMs: 20000 };
export const complete: Complete = { leaseId: "lease_1", output: { ok: true }, cost: 0.002 };
export const batch: CreateBatch = { runCount: 1000, task: "summarize", ceilings: { maxConcurrency: 20, budget: { limit: 25, unit: "usd" } } };
export const item: BatchItem = { index: 0, input: { documentId: "doc_1" } };
export const cancel: NonNullable<paths["/v1/executions/{id}/cancel"]["post"]["requestBody"]>["content"]["application/json"] = {};

// @ts-expect-error a create needs its task
export const noTask: CreateExecution = { queue: "emails" };
// @ts-expect-error a typo is not a field
export const typo: CreateExecution = { task: "send-email", taks: "x" };

export function leaseOf(claimed: Claimed): string | undefined {
  return claimed.claims[0]?.leaseId;
}

export function isDone(execution: Created): boolean {
  const terminal: Schemas["ExecutionStatus"][] = ["succeeded", "failed", "cancelled", "timed_out"];
  return terminal.includes(execution.status);
}

export function explain(problem: Problem): string {
  switch (problem.code) {
    case "terminal_state":
      return `already ${problem.currentStatus ?? "terminal"}`;
    case "lease_lost":
    case "rate_limited":
      return problem.code;
    default:
      return problem.detail ?? problem.title ?? "error";
  }
}

// @ts-expect-error codes are a closed set
export const unknownCode: Problem["code"] = "no_such_code";

export type ProblemOf409 = Json<paths["/v1/executions/{id}/complete"]["post"]["responses"][409]>;
