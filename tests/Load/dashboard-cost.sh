#!/usr/bin/env bash
# Lifecycle throughput with Levee's dashboard page open and streaming, against the same run
# without it: rounds of (without, with), each on a fresh Release silo. "With" keeps one headless
# Chromium signed in on the load's project (cluster snapshots, the lists it refreshes at most once
# a second) and on one execution's drill-down stream (dashboard-watch.mjs). Prints executions/s.
# Needs: tests/Gateway.Tests built (its Playwright), chromium. Usage: tests/Load/dashboard-cost.sh [rounds=3] [count=20000] [port=5095]
set -euo pipefail
rounds=${1:-3}
count=${2:-20000}
port=${3:-5095}
root=$(cd "$(dirname "$0")/../.." && pwd)
dotnet build "$root/Silo" -c Release >/dev/null
dotnet build "$root/tests/Load" -c Release >/dev/null

run() { # run <with|without>: one fresh silo, one lifecycle run
  local work silo watcher="" rate
  work=$(mktemp -d)
  (cd "$work" && Levee__Cluster__SiloPort=$((port + 2)) Levee__Cluster__GatewayPort=$((port + 3)) Logging__LogLevel__Default=Warning \
    exec dotnet "$root/Silo/bin/Release/net10.0/Levee.Silo.dll" --urls "http://127.0.0.1:$port" >silo.log 2>&1) &
  silo=$!
  until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.2; done
  local key admin
  key=$(cat "$work/data/dev-tenant.key"); admin=$(cat "$work/data/admin.key")
  if [ "$1" = with ]; then
    curl -sf -H "Authorization: Bearer $key" "http://127.0.0.1:$port/v1/executions" -d '{"id":"watched","task":"watch"}' >/dev/null
    node "$root/tests/Load/dashboard-watch.mjs" "http://127.0.0.1:$port" "$admin" dev/default watched >"$work/watch.log" 2>&1 &
    watcher=$!
    until grep -qs "dashboard open" "$work/watch.log"; do sleep 0.2; done
  fi
  rate=$(dotnet "$root/tests/Load/bin/Release/net10.0/Levee.Load.dll" lifecycle --url "http://127.0.0.1:$port" --key "$key" \
    --concurrency 64 --count "$count" 2>/dev/null | grep -iE 'executions/s' | head -1 | tr -s ' ')
  [ -n "$watcher" ] && kill "$watcher" && wait "$watcher" 2>/dev/null || true
  kill "$silo"; wait "$silo" 2>/dev/null || true
  rm -rf "$work"
  echo "$rate"
}

for round in $(seq 1 "$rounds"); do
  without=$(run without)
  with=$(run with)
  echo "round $round: without $without, with the page $with"
done
