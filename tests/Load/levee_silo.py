# Shared by the Python probes (queues.py, sse_idle.py, flood.py): a fresh Release silo in a
# temporary folder on the given HTTP port (its Orleans ports derived from it), ready to use.
import http.client, os, subprocess, tempfile, time

def start(dll, port, extra_env=None):
    """Starts the silo and waits for /readyz; returns (process, its working folder)."""
    work = tempfile.mkdtemp()
    env = dict(os.environ, Levee__Cluster__SiloPort=str(port + 6000), Levee__Cluster__GatewayPort=str(port + 25000), Logging__LogLevel__Default="Warning")
    env.update(extra_env or {})
    silo = subprocess.Popen(["dotnet", dll, "--urls", f"http://127.0.0.1:{port}"], cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2); c.request("GET", "/readyz")
            if c.getresponse().status == 200: return silo, work
        except Exception: pass
        time.sleep(0.2)
    silo.kill()
    raise SystemExit("the silo did not become ready")

def key(work, name="dev-tenant.key"):
    """A key the silo wrote at its first start (dev-tenant.key or admin.key)."""
    return open(os.path.join(work, "data", name)).read().strip()

def rss_mb(silo):
    return int([l for l in open(f"/proc/{silo.pid}/status") if l.startswith("VmRSS")][0].split()[1]) // 1024
