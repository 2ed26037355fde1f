import type { components } from "./schema.js";

type S = components["schemas"];
export type Execution = S["ExecutionView"];
export type ExecutionStatus = S["ExecutionStatus"];
export type CreateExecutionRequest = S["CreateExecutionRequest"];
export type StatusRequest = S["StatusRequest"];
export type EventItem = S["EventItem"];
export type EventsAccepted = S["EventsAccepted"];
export type OutputRange = S["OutputRange"];
export type ExecutionEvent = S["EventItemView"];
export type EventPage = S["EventPageView"];
export type ExecutionPage = S["PageOfExecutionView"];
export type Claim = S["ClaimView"];
export type Heartbeat = S["HeartbeatView"];
export type ExecutionError = S["ExecutionError"];
export type Batch = S["BatchView"];
export type BatchStatus = S["BatchStatus"];
export type CreateBatchRequest = S["CreateBatchRequest"];
export type BatchItem = S["BatchItemLine"];
export type BatchItemsResult = S["ItemsResponse"];
export type ChildrenPage = S["ChildrenPage"];
export type ApprovalTicket = S["ApprovalRequestView"];
export type ApprovalDecision = S["ApprovalDecisionView"];
export type CreatedApiKey = S["CreatedKey"];
export type ApiKey = S["KeyItem"];
export type Problem = S["Problem"];

/** The statuses after which nothing changes. */
export const terminalStatuses: readonly ExecutionStatus[] = ["succeeded", "failed", "cancelled", "timed_out"];

export function isTerminal(status: ExecutionStatus): boolean {
  return terminalStatuses.includes(status);
}
