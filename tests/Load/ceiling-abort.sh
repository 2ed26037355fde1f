#!/usr/bin/env bash
# Measures how long a ceiling's abort takes to reach every child of a big batch: a batch of N
# children with ceilings.maxConsecutiveFailures 1 is sealed, one child is claimed and failed
# (the ceiling is crossed), and the script polls the batch until every other child is cancelled.
# Prints the time from the failing request's answer to the abort, and to the last child cancelled,
# and as a baseline the time the same silo took to create those children.
# Usage: tests/Load/ceiling-abort.sh [children=100000] [port=5094]
set -euo pipefail
count=${1:-100000}
port=${2:-5094}
root=$(cd "$(dirname "$0")/../.." && pwd)
[ -n "${LEVEE_NO_BUILD:-}" ] || dotnet build "$root/Silo" -c Release >/dev/null
work=$(mktemp -d)
cd "$work"
Levee__Cluster__SiloPort=$((port + 6000)) Levee__Cluster__GatewayPort=$((port + 25000)) \
  dotnet "$root/Silo/bin/Release/net10.0/Levee.Silo.dll" --urls "http://127.0.0.1:$port" > silo.log 2>&1 &
silo=$!
trap 'kill $silo 2>/dev/null; rm -rf "$work"' EXIT
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.2; done
url="http://127.0.0.1:$port"
auth="Authorization: Bearer $(cat data/dev-tenant.key)"
json() { curl -sf -H "$auth" -H 'Content-Type: application/json' "$@"; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval('d' + sys.argv[1]))" "$1"; }
now_ms() { date +%s%3N; }

id=$(json -X POST "$url/v1/batches" -d "{\"runCount\":$count,\"task\":\"t\",\"queue\":\"abort\",\"ceilings\":{\"maxConsecutiveFailures\":1}}" | field "['id']")
python3 -c "import sys; sys.stdout.write(''.join('{\"index\":%d}\n' % i for i in range($count)))" > items.ndjson
ingest_started=$(now_ms)
curl -sf -H "$auth" -H 'Content-Type: application/x-ndjson' --data-binary @items.ndjson "$url/v1/batches/$id/items" >/dev/null
ingested=$(now_ms)
claim=$(json -X POST "$url/v1/queues/abort/claim" -d '{"workerId":"w","waitMs":5000}')
child=$(echo "$claim" | field "['claims'][0]['execution']['id']")
lease=$(echo "$claim" | field "['claims'][0]['leaseId']")
json -X POST "$url/v1/executions/$child/fail" -d "{\"leaseId\":\"$lease\",\"error\":{\"message\":\"x\"},\"retryable\":false}" >/dev/null
crossed=$(now_ms)
aborted=""
while true; do
  batch=$(json "$url/v1/batches/$id")
  status=$(echo "$batch" | field "['status']")
  [ -z "$aborted" ] && [ "$status" = aborted ] && aborted=$(now_ms)
  cancelled=$(echo "$batch" | field "['counts']['cancelled']")
  [ "$cancelled" -ge $((count - 1)) ] && break
  sleep 0.2
done
done_at=$(now_ms)
echo "children: $count, reason: $(echo "$batch" | field "['abortReason']")"
echo "ceiling crossed -> batch aborted: $((aborted - crossed)) ms"
echo "ceiling crossed -> last queued child cancelled: $((done_at - crossed)) ms"
echo "baseline, the same run: creating the $count children (the items request): $((ingested - ingest_started)) ms"
