# Usage: flood.py <silo.dll> <port> <seconds> [requestsPerSecondLimit|-] [floodRate]
# A fresh silo; two tenant keys. Key A floods POST /v1/executions at 1,000 requests/s (paced,
# asyncio, 8 keep-alive connections) while key B creates and reads one execution at a time;
# prints B's latency with and without the flood, and how A's requests were answered.
# floodRate (default 1000) is the flood's requests/s; 0 floods as fast as the silo answers.
# With a limit, the silo runs Levee:Gateway:RateLimit:RequestsPerSecond (and Burst) at that value.
import asyncio, http.client, json, sys, time
import levee_silo
dll, port, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
limit = sys.argv[4] if len(sys.argv) > 4 and sys.argv[4] != "-" else None
rate = float(sys.argv[5]) if len(sys.argv) > 5 else 1000
silo, work = levee_silo.start(dll, port, dict(Levee__Gateway__RateLimit__RequestsPerSecond=limit, Levee__Gateway__RateLimit__Burst=limit) if limit else None)

def new_key(admin, tenant):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("POST", "/v1/admin/keys", json.dumps({"tenant": tenant, "project": "p"}), {"Authorization": f"Bearer {admin}", "Content-Type": "application/json"})
    return json.loads(c.getresponse().read())["key"]

async def request(reader, writer, method, path, key, body=b""):
    head = f"{method} {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode()
    writer.write(head + body); await writer.drain()
    status = int((await reader.readline()).split()[1]); length = 0; chunked = False
    while (line := await reader.readline()) not in (b"\r\n", b""):
        lower = line.lower()
        if lower.startswith(b"content-length:"): length = int(line.split(b":")[1])
        if lower.startswith(b"transfer-encoding:") and b"chunked" in lower: chunked = True
    if chunked:
        while (size := int((await reader.readline()).split(b";")[0], 16)) > 0:
            await reader.readexactly(size + 2)
        await reader.readline()
    elif length:
        await reader.readexactly(length)
    return status

async def flood(key, until, tally):
    # `rate` requests/s in all, on 8 connections, each on its own absolute schedule.
    async def one(n):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        interval, next_at, i = 8 / rate if rate else 0, time.monotonic(), 0
        while time.monotonic() < until:
            next_at += interval
            delay = next_at - time.monotonic()
            if delay > 0: await asyncio.sleep(delay)
            status = await request(reader, writer, "POST", "/v1/executions", key, json.dumps({"task": "flood", "id": f"f{n}-{i}"}).encode()); i += 1
            tally[status] = tally.get(status, 0) + 1
        writer.close()
    await asyncio.gather(*(one(n) for n in range(8)))

async def probe(key, until, latencies, tag):
    reader, writer = await asyncio.open_connection("127.0.0.1", port); i = 0
    while time.monotonic() < until:
        started = time.monotonic()
        created = await request(reader, writer, "POST", "/v1/executions", key, json.dumps({"task": "probe", "id": f"{tag}-{i}"}).encode())
        read = await request(reader, writer, "GET", f"/v1/executions/{tag}-{i}", key)
        if created == 201 and read == 200: latencies.append((time.monotonic() - started) * 1000)
        i += 1
        await asyncio.sleep(0.01)
    writer.close()

def summary(latencies):
    latencies = sorted(latencies)
    return {"n": len(latencies), "p50_ms": round(latencies[len(latencies) // 2], 2), "p99_ms": round(latencies[int(len(latencies) * 0.99)], 2)}

async def main():
    time.sleep(2)
    admin = levee_silo.key(work, "admin.key")
    a, b = new_key(admin, "flooder"), new_key(admin, "bystander")
    quiet = []
    await probe(b, time.monotonic() + 3, [], "warm")
    await probe(b, time.monotonic() + seconds, quiet, "quiet")
    flooded, tally = [], {}
    until = time.monotonic() + seconds
    started = time.monotonic()
    await asyncio.gather(flood(a, until, tally), probe(b, until, flooded, "flood"))
    elapsed = time.monotonic() - started
    print(json.dumps({"rateLimit": limit, "floodRate": rate or "unpaced", "seconds": seconds, "bystander_quiet": summary(quiet), "bystander_during_flood": summary(flooded),
                      "flood_requests_per_s": round(sum(tally.values()) / elapsed), "flood_answers": tally}))

try:
    asyncio.run(main())
finally:
    silo.kill(); silo.wait()
