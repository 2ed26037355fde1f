// Levee's dashboard. Every value that came from users (task names, metadata, output, errors) is
// put on the page as text (textContent, createTextNode), never parsed as HTML.
"use strict";

const TERMINAL = ["succeeded", "failed", "cancelled", "timed_out"];
const EXECUTION_EVENTS = ["created", "queued", "claimed", "status", "output", "report", "released", "retry_scheduled",
  "lease_expired", "approval_requested", "approval_decided", "cost", "parent_attached", "delete_requested", "deleted",
  ...TERMINAL];
const BATCH_EVENTS = ["created", "items_accepted", "sealed", "child_finished", "paused", "resumed", "parent_attached",
  "children_purged", "delete_requested", "deleted", "completed", "partial_failed", "failed", "aborted"];
const STATUS_ORDER = ["queued", "running", "waiting", ...TERMINAL];
const TERMINAL_BATCH = ["completed", "partial_failed", "failed", "aborted"];
const $ = id => document.getElementById(id);

const state = { batches: new Map(), project: null, cluster: null, clusterSource: null, detail: null, history: [], refresh: { running: false, again: false, last: 0 } };

/** An element with attributes and children; strings become text nodes. */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined) node.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function text(value) {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function replace(parent, nodes, emptyId) {
  parent.replaceChildren(...nodes);
  if (emptyId) $(emptyId).hidden = nodes.length > 0;
}

function duration(ms) {
  if (ms === null || ms === undefined) return "";
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return s + " s";
  if (s < 3600) return Math.floor(s / 60) + " min " + (s % 60) + " s";
  if (s < 86400) return Math.floor(s / 3600) + " h " + Math.floor((s % 3600) / 60) + " min";
  return Math.floor(s / 86400) + " d " + Math.floor((s % 86400) / 3600) + " h";
}

function when(iso) {
  return iso ? new Date(iso).toLocaleTimeString() : "";
}

function statusCell(status) {
  return el("td", { class: "status status-" + status }, status);
}

async function api(path, options) {
  const response = await fetch(path, { credentials: "same-origin", headers: { Accept: "application/json" }, ...options });
  if (response.status === 401) {
    signedOut();
    throw new Error("signed out");
  }
  if (!response.ok) throw new Error(path + ": " + response.status);
  return response.status === 204 ? null : response.json();
}

function projectPath(suffix) {
  const p = state.project;
  return "/v1/admin/tenants/" + encodeURIComponent(p.tenant) + "/projects/" + encodeURIComponent(p.project) + suffix;
}

// ---- sign-in ----

async function signIn(event) {
  event.preventDefault();
  const error = $("signin-error");
  error.hidden = true;
  const response = await fetch("/v1/admin/session", {
    method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ key: $("signin-key").value }),
  });
  if (!response.ok) {
    let detail = "Sign-in failed (" + response.status + ").";
    try { detail = (await response.json()).detail || detail; } catch { /* not JSON */ }
    error.textContent = detail;
    error.hidden = false;
    return;
  }
  $("signin-key").value = "";
  await start();
}

async function signOut() {
  await fetch("/v1/admin/session", { method: "DELETE", credentials: "same-origin" });
  signedOut();
}

function signedOut() {
  state.clusterSource?.close();
  state.clusterSource = null;
  closeDetail();
  $("app").hidden = true;
  $("signout").hidden = true;
  $("project-picker").hidden = true;
  $("live").hidden = true;
  $("signin-view").hidden = false;
}

async function start() {
  $("signin-view").hidden = true;
  $("app").hidden = false;
  $("signout").hidden = false;
  $("live").hidden = false;
  await loadProjects();
  openCluster();
  probeOrleansDashboard();
  route();
}

/** The Orleans Dashboard is a silo setting; the link shows when it answers this session. */
async function probeOrleansDashboard() {
  const response = await fetch("/dashboard/", { credentials: "same-origin" });
  $("orleans-link").hidden = !response.ok;
}

// ---- projects ----

async function loadProjects() {
  const keys = await api("/v1/admin/keys");
  const seen = new Map();
  for (const key of keys.items) seen.set(key.tenant + "/" + key.project, { tenant: key.tenant, project: key.project });
  const select = $("project");
  const saved = localStorage.getItem("levee.project");
  const options = [...seen.keys()].sort().map(name => el("option", { value: name }, name));
  select.replaceChildren(...options);
  $("project-picker").hidden = options.length === 0;
  const chosen = seen.has(saved) ? saved : (options[0]?.value ?? null);
  if (chosen) select.value = chosen;
  state.projects = seen;
  state.project = chosen ? seen.get(chosen) : null;
}

function chooseProject() {
  state.project = state.projects.get($("project").value) || null;
  state.batches = new Map();
  localStorage.setItem("levee.project", $("project").value);
  closeDetail();
  refreshLists(true);
}

// ---- the cluster stream ----

function openCluster() {
  state.clusterSource?.close();
  const source = new EventSource("/v1/cluster/events");
  state.clusterSource = source;
  source.addEventListener("open", () => setLive(true));
  source.addEventListener("error", () => {
    setLive(false);
    if (source.readyState === EventSource.CLOSED) checkSession();
  });
  source.addEventListener("snapshot", event => {
    state.cluster = JSON.parse(event.data);
    renderCluster(state.cluster);
    refreshLists(false);
  });
}

function setLive(live) {
  const pill = $("live");
  pill.textContent = live ? "live" : "reconnecting";
  pill.className = "pill " + (live ? "live" : "reconnecting");
}

/** A stream the browser gave up on: signed out (401), or the server went; either way look once. */
async function checkSession() {
  try {
    await api("/v1/cluster");
    openCluster();
  } catch {
    /* signedOut() ran on 401; otherwise the next user action tries again */
  }
}

function renderCluster(view) {
  const now = Date.now();
  replace($("silos"), view.silos.map(silo => el("tr", { "data-silo": silo.id },
    el("td", null, silo.name),
    el("td", { class: "status status-" + silo.status }, silo.status),
    el("td", null, silo.address),
    el("td", null, duration(now - Date.parse(silo.startedAt))),
    el("td", null, Object.values(silo.activations || {}).reduce((a, b) => a + b, 0)),
    el("td", null, silo.commandsPerSecond === null ? "–" : silo.commandsPerSecond.toFixed(1)),
    el("td", null, silo.commitLatencyMs === null ? "–" : silo.commitLatencyMs.toFixed(2) + " ms"))));
  const counts = view.executions || {};
  replace($("status-counts"), STATUS_ORDER.map(status => el("li", { "data-status": status, class: "status-" + status },
    el("b", null, counts[status] || 0), status)));
  recordThroughput(counts, now);
}

/** Finished executions per second between snapshots, over the last minute (deletes can lower the total: clamped at 0). */
function recordThroughput(counts, now) {
  const finished = TERMINAL.reduce((sum, status) => sum + (counts[status] || 0), 0);
  const history = state.history;
  const previous = history[history.length - 1];
  const rate = previous ? Math.max(0, (finished - previous.finished) / Math.max(0.001, (now - previous.at) / 1000)) : 0;
  history.push({ at: now, finished, rate });
  while (history.length > 1 && now - history[0].at > 60000) history.shift();
  $("throughput").textContent = rate.toFixed(1);
  const max = Math.max(1, ...history.map(h => h.rate));
  const points = history.map(h => (120 * (h.at - (now - 60000)) / 60000).toFixed(1) + "," + (29 - 28 * h.rate / max).toFixed(1));
  $("sparkline").querySelector("polyline").setAttribute("points", points.join(" "));
}

// ---- project lists: refreshed when the cluster changed, at most once a second ----

function refreshLists(now) {
  const r = state.refresh;
  if (r.running) { r.again = true; return; }
  const wait = now ? 0 : Math.max(0, 1000 - (Date.now() - r.last));
  r.running = true;
  setTimeout(async () => {
    r.last = Date.now();
    try {
      if (state.project) await loadLists();
    } catch { /* a failed refresh is retried with the next snapshot */ }
    r.running = false;
    if (r.again) { r.again = false; refreshLists(false); }
  }, wait);
}

async function loadLists() {
  const [recent, failed, waiting, queues, batches] = await Promise.all([
    api(projectPath("/executions?limit=20")),
    api(projectPath("/executions?status=failed&limit=10")),
    api(projectPath("/executions?status=waiting&limit=50")),
    api(projectPath("/queues")),
    api(projectPath("/batches")),
  ]);
  replace($("executions"), recent.items.map(e => el("tr", { "data-id": e.id },
    el("td", null, openButton("execution", e.id)), el("td", { class: "task" }, e.task), el("td", null, e.queue),
    statusCell(e.status), el("td", null, e.attempt), el("td", null, when(e.updatedAt)))));
  replace($("failures"), failed.items.map(e => el("li", { "data-id": e.id },
    openButton("execution", e.id), " ", el("span", { class: "task" }, e.task), ": ",
    el("span", { class: "error" }, e.error ? e.error.message : "failed"))), "failures-empty");
  const approvals = waiting.items.flatMap(e => (e.approvals || []).filter(a => a.status === "pending").map(a => ({ e, a })));
  replace($("approvals"), approvals.map(({ e, a }) => el("li", { "data-id": e.id },
    openButton("execution", e.id), " ", el("span", { class: "tool" }, a.tool), " (", a.toolCallId, ") since ", when(a.requestedAt))),
    "approvals-empty");
  replace($("queues"), queues.items.map(q => el("tr", { "data-queue": q.queue },
    el("td", null, q.queue), el("td", null, q.depth), el("td", null, q.ready), el("td", null, duration(q.oldestReadyAgeMs)),
    el("td", null, q.claimersWaiting))), "queues-empty");
  replace($("batches"), (await withRecentlyFinished(batches.items)).map(renderBatch), "batches-empty");
}

/**
 * The list holds batches with unfinished children only; a batch shown before that left it is
 * read once more, so its bar reaches the end, and stays for a minute after it finished.
 */
async function withRecentlyFinished(inFlight) {
  const listed = new Set(inFlight.map(b => b.id));
  const gone = [...state.batches.values()].filter(b => !listed.has(b.id));
  const reread = await Promise.all(gone.map(async b => TERMINAL_BATCH.includes(b.status) ? b
    : await api(projectPath("/batches/" + encodeURIComponent(b.id))).catch(() => null)));
  const now = Date.now();
  const finished = reread.filter(b => b && TERMINAL_BATCH.includes(b.status) && now - Date.parse(b.completedAt || b.createdAt) < 60000);
  const shown = [...inFlight, ...finished];
  state.batches = new Map(shown.map(b => [b.id, b]));
  return shown;
}

function finishedOf(batch) {
  const c = batch.counts || {};
  return (c.succeeded || 0) + (c.failed || 0) + (c.cancelled || 0) + (c.timedOut || 0);
}

function countsText(batch) {
  return Object.entries(batch.counts || {}).filter(([, n]) => n > 0).map(([name, n]) => name + " " + n).join(" · ") || "no children yet";
}

function renderBatch(batch) {
  const done = finishedOf(batch);
  return el("div", { class: "batch", "data-id": batch.id },
    el("span", null, openButton("batch", batch.id), " ", el("span", { class: "status status-" + batch.status }, batch.status)),
    el("progress", { max: Math.max(1, batch.runCount), value: done }),
    el("span", { class: "done" }, done + "/" + batch.runCount),
    el("span", { class: "bcounts" }, countsText(batch)));
}

function openButton(kind, id) {
  const button = el("button", { type: "button", class: "link open", "data-kind": kind }, id);
  button.addEventListener("click", () => { location.hash = "#/" + kind + "/" + encodeURIComponent(id); });
  return button;
}

// ---- drill-down ----

function route() {
  const match = /^#\/(execution|batch)\/(.+)$/.exec(location.hash);
  if (!match || !state.project || $("app").hidden) { closeDetail(); return; }
  openDetail(match[1], decodeURIComponent(match[2]));
}

function closeDetail() {
  state.detail?.source.close();
  clearTimeout(state.detail?.timer);
  state.detail = null;
  $("detail").hidden = true;
}

function openDetail(kind, id) {
  closeDetail();
  const base = projectPath((kind === "batch" ? "/batches/" : "/executions/") + encodeURIComponent(id));
  $("detail").hidden = false;
  $("detail").dataset.kind = kind;
  $("detail").dataset.id = id;
  $("detail-title").textContent = (kind === "batch" ? "Batch " : "Execution ") + id;
  $("detail-fields").replaceChildren();
  $("detail-output").replaceChildren();
  $("detail-events").replaceChildren();
  $("detail-progress").hidden = kind !== "batch";
  $("detail").scrollIntoView({ block: "start" });
  const source = new EventSource(base + "/events");
  const detail = { kind, id, base, source, timer: null, last: 0 };
  state.detail = detail;
  setStream("connecting");
  loadDetail(detail);
  source.addEventListener("open", () => setStream("live"));
  source.addEventListener("error", () => {
    if (state.detail !== detail) return;
    if (source.readyState === EventSource.CLOSED) {
      setStream("closed");
      loadDetail(detail); // a 404 or a lost session shows here
    } else {
      setStream("reconnecting");
    }
  });
  for (const type of kind === "batch" ? BATCH_EVENTS : EXECUTION_EVENTS) {
    source.addEventListener(type, event => onDetailEvent(detail, event));
  }
  source.addEventListener("end", () => { source.close(); setStream("ended"); loadDetail(detail); });
}

function setStream(what) {
  const pill = $("detail-stream");
  pill.textContent = what;
  pill.className = "pill " + (what === "live" ? "live" : what === "reconnecting" ? "reconnecting" : "");
}

function onDetailEvent(detail, event) {
  if (state.detail !== detail) return;
  const item = JSON.parse(event.data);
  $("detail-events").append(el("li", { "data-seq": item.seq, value: item.seq },
    when(item.time) + " " + item.type + " " + text(item.data)));
  if (item.type === "output") {
    const chunk = item.data && Object.prototype.hasOwnProperty.call(item.data, "chunk") ? item.data.chunk : item.data;
    $("detail-output").append(el("li", { "data-seq": item.seq }, text(chunk)));
  } else {
    scheduleDetail(detail);
  }
}

/** The resource again after events, at most once a second. */
function scheduleDetail(detail) {
  if (detail.timer) return;
  detail.timer = setTimeout(() => { detail.timer = null; loadDetail(detail); }, Math.max(0, 1000 - (Date.now() - detail.last)));
}

async function loadDetail(detail) {
  detail.last = Date.now();
  const response = await fetch(detail.base, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (state.detail !== detail) return;
  if (response.status === 401) { signedOut(); return; }
  if (!response.ok) {
    let message = response.status + "";
    try { message = (await response.json()).detail || message; } catch { /* not JSON */ }
    $("detail-fields").replaceChildren(el("dt", null, "error"), el("dd", { class: "error", id: "detail-error" }, message));
    return;
  }
  const view = await response.json();
  const fields = detail.kind === "batch"
    ? [["status", view.status], ["progress", finishedOf(view) + "/" + view.runCount], ["counts", countsText(view)],
       ["sealed", view.sealed], ["abort reason", view.abortReason], ["created", view.createdAt], ["completed", view.completedAt]]
    : [["task", view.task], ["queue", view.queue], ["status", view.status], ["attempt", view.attempt + "/" + view.maxAttempts],
       ["input", view.input], ["output", view.output], ["error", view.error ? view.error.message : null], ["metadata", view.metadata],
       ["tags", view.tags && view.tags.length ? view.tags.join(", ") : null], ["batch", view.batchId], ["created", view.createdAt]];
  $("detail-fields").replaceChildren(...fields.filter(([, v]) => v !== null && v !== undefined)
    .flatMap(([name, value]) => [el("dt", null, name), el("dd", { "data-field": name }, text(value))]));
  if (detail.kind === "batch") {
    const progress = $("detail-progress");
    progress.max = Math.max(1, view.runCount);
    progress.value = finishedOf(view);
  }
}

// ---- wiring ----

document.addEventListener("DOMContentLoaded", async () => {
  $("signin").addEventListener("submit", signIn);
  $("signout").addEventListener("click", signOut);
  $("project").addEventListener("change", chooseProject);
  $("detail-close").addEventListener("click", () => { history.replaceState(null, "", location.pathname); closeDetail(); });
  window.addEventListener("hashchange", route);
  // Already signed in (the cookie is HttpOnly: ask the server).
  const response = await fetch("/v1/cluster", { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (response.ok) await start(); else signedOut();
});
