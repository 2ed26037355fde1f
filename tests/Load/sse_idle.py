# Usage: sse_idle.py <silo.dll> <port> <subscribers> [chunks]
# A fresh silo; one execution followed by <subscribers> SSE streams that never read a byte, while
# a writer appends <chunks> output chunks of 4 KiB (about 50/s). Prints the silo's RSS and
# GET /healthz latency before the subscribers, with them idle, and after the writes.
import http.client, json, socket, sys, time
import levee_silo
dll, port, subscribers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
chunks = int(sys.argv[4]) if len(sys.argv) > 4 else 500
silo, work = levee_silo.start(dll, port)
def rss(): return levee_silo.rss_mb(silo)
key = levee_silo.key(work)
auth = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
api = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
def call(method, path, body=None):
    api.request(method, path, None if body is None else json.dumps(body), auth); r = api.getresponse(); r.read(); return r.status
def healthz(n=200):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30); lat = []
    for _ in range(n):
        s = time.perf_counter(); c.request("GET", "/healthz"); c.getresponse().read(); lat.append((time.perf_counter() - s) * 1000)
    lat.sort(); return {"p50_ms": round(lat[n // 2], 2), "p99_ms": round(lat[int(n * 0.99)], 2)}
assert call("POST", "/v1/executions", {"id": "followed", "task": "t"}) in (200, 201)
time.sleep(2)
quiet = {"rss_mb": rss(), "healthz": healthz()}
streams = []
for i in range(subscribers):
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.sendall(f"GET /v1/executions/followed/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nAuthorization: Bearer {key}\r\n\r\n".encode())
    streams.append(s)
time.sleep(3)
idle = {"rss_mb": rss(), "healthz": healthz()}
chunk = "x" * 4096; bad = 0; peak = rss(); started = time.time()
for i in range(chunks):
    if call("POST", "/v1/executions/followed/output", {"chunks": [chunk]}) != 202: bad += 1
    if i % 25 == 0: peak = max(peak, rss())
    time.sleep(0.02)
written = time.time() - started
time.sleep(5)
after = {"rss_mb": rss(), "peak_rss_mb": max(peak, rss()), "healthz": healthz(), "output_non202": bad, "write_seconds": round(written, 1)}
print(json.dumps({"subscribers": subscribers, "chunks": chunks, "chunk_bytes": 4096, "quiet": quiet, "subscribed_idle": idle, "after_writes": after}))
for s in streams: s.close()
silo.kill(); silo.wait()
