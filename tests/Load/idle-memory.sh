#!/usr/bin/env bash
# Measures the silo's resident memory after N executions were driven through their lifecycle
# and the silo went idle (activations collected, memory trimmed). Prints peak and idle RSS.
# Usage: tests/Load/idle-memory.sh [count=1000000] [port=5093]
set -euo pipefail
count=${1:-1000000}
port=${2:-5093}
root=$(cd "$(dirname "$0")/../.." && pwd)
dotnet build "$root/Silo" -c Release >/dev/null
dotnet build "$root/tests/Load" -c Release >/dev/null
work=$(mktemp -d)
cd "$work"
dotnet "$root/Silo/bin/Release/net10.0/Levee.Silo.dll" --urls "http://127.0.0.1:$port" > silo.log 2>&1 &
silo=$!
trap 'kill $silo 2>/dev/null; rm -rf "$work"' EXIT
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.2; done
rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$silo/status"; }
peak=0
( while kill -0 $silo 2>/dev/null; do r=$(rss); [ "$r" -gt "$peak" ] && peak=$r && echo "$peak" > peak.txt; sleep 1; done ) &
sampler=$!
echo "start rss: $(rss) MB"
dotnet "$root/tests/Load/bin/Release/net10.0/Levee.Load.dll" lifecycle --url "http://127.0.0.1:$port" --key "$(cat data/dev-tenant.key)" \
  --concurrency 64 --count "$count" --warmup 0 2>/dev/null | grep -E "executions/s|lifecycle:"
echo "peak rss during load: $(cat peak.txt) MB"
# Idle: the collector retires activations after Levee:Runtime:IdleTimeout (30 s), then trims.
sleep 50
kill $sampler 2>/dev/null || true
echo "idle rss after $count executions: $(rss) MB"
echo "database: $(du -sh data | cut -f1)"
grep -h "memory trimmed" silo.log | tail -1 || true
