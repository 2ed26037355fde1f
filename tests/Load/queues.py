# Usage: queues.py <silo.dll> <n> <port>: fresh silo, n claims on n distinct queue names; prints RSS before/after/after idle.
import http.client, json, sys, time
import levee_silo
dll, n, port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
silo, work = levee_silo.start(dll, port)
def rss(): return levee_silo.rss_mb(silo)
key = levee_silo.key(work)
time.sleep(3); before = rss()
c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
body = json.dumps({"workerId": "w", "max": 1, "waitMs": 0})
t0 = time.time(); bad = 0; lat = []
for i in range(n):
    s = time.time()
    c.request("POST", f"/v1/queues/q-{i}/claim", body, {"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    r = c.getresponse(); r.read(); lat.append(time.time() - s)
    if r.status != 200: bad += 1
elapsed = time.time() - t0; after = rss(); peak = after
for _ in range(60):
    time.sleep(1); peak = max(peak, rss())
idle = rss()
lat.sort()
print(json.dumps({"n": n, "non200": bad, "seconds": round(elapsed, 1), "rps": round(n / elapsed), "p50_ms": round(lat[n//2]*1000, 2), "p99_ms": round(lat[int(n*0.99)]*1000, 2),
                  "rss_before_mb": before, "rss_after_mb": after, "rss_after_60s_idle_mb": idle}))
silo.kill(); silo.wait()
