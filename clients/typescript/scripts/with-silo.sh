#!/usr/bin/env bash
# Runs a command against a fresh silo: starts the built Silo (Silo/bin/Debug/net10.0) in a temp dir
# on free ports with a random admin key, waits for /readyz, exports LEVEE_URL and LEVEE_ADMIN_KEY,
# runs "$@", and stops the silo on exit (whatever the command's result).
#   clients/typescript/scripts/with-silo.sh npm test --prefix clients/typescript
set -euo pipefail
repo="$(cd "$(dirname "$0")/../../.." && pwd)"
dll="$repo/Silo/bin/Debug/net10.0/Levee.Silo.dll"
[ -f "$dll" ] || { echo "with-silo: $dll is missing: run dotnet build Orleans.sln first" >&2; exit 2; }

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
http_port=$(free_port); silo_port=$(free_port); gateway_port=$(free_port)
admin_key="lva_$(node -e "console.log(require('crypto').randomBytes(24).toString('hex'))")"
dir="$(mktemp -d)"
silo_pid=""
stop() {
  if [ -n "$silo_pid" ] && kill -0 "$silo_pid" 2>/dev/null; then
    kill "$silo_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$silo_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$silo_pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}
trap stop EXIT

(cd "$dir" && exec env Levee__AdminKey="$admin_key" Levee__Cluster__SiloPort="$silo_port" Levee__Cluster__GatewayPort="$gateway_port" \
  dotnet "$dll" --urls "http://127.0.0.1:$http_port" >"$dir/silo.log" 2>&1) &
silo_pid=$!
url="http://127.0.0.1:$http_port"
ready=""
for _ in $(seq 1 600); do
  if ! kill -0 "$silo_pid" 2>/dev/null; then break; fi
  if node -e "fetch('$url/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" 2>/dev/null; then ready=1; break; fi
  sleep 0.2
done
if [ -z "$ready" ]; then
  echo "with-silo: the silo did not become ready at $url; its log:" >&2
  cat "$dir/silo.log" >&2 || true
  exit 1
fi
export LEVEE_URL="$url" LEVEE_ADMIN_KEY="$admin_key"
set +e
"$@"
status=$?
set -e
if [ "$status" -ne 0 ] && [ -n "${WITH_SILO_LOG:-}" ]; then tail -n 50 "$dir/silo.log" >&2; fi
exit $status
