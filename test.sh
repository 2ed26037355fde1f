#!/usr/bin/env bash
# Runs every test: the .NET solution (dotnet test Orleans.sln), then the TypeScript client's tests
# (clients/typescript, node --test) against a silo this script starts from the build on free ports
# with a random admin key (clients/typescript/scripts/with-silo.sh), stopped on exit.
#   ./test.sh               build and test everything
#   ./test.sh --no-build    reuse the last build (what .ci/run does after its own build)
# Ends with one line "N passed, M failed[, K skipped]" counted over both test runners; exits
# non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
build=()
[ "${1:-}" = "--no-build" ] && build=(--no-build)

results="$(pwd)/TestResults"
rm -rf "$results"
mkdir -p "$results"

dotnet test Orleans.sln "${build[@]}" --logger "trx" --results-directory "$results"
status=$?

ts="clients/typescript"
npm_status=0
if ! command -v npm >/dev/null; then
  echo "test.sh: Node.js 20+ and npm are required for $ts" >&2
  npm_status=1
else
  if [ ! -d "$ts/node_modules" ]; then (cd "$ts" && npm ci --no-audit --no-fund) || npm_status=$?; fi
  if [ "$npm_status" -eq 0 ]; then (cd "$ts" && npm run --silent pretest) || npm_status=$?; fi
  if [ "$npm_status" -eq 0 ]; then
    # The same run as `npm test`, with a TAP copy of the results to count.
    "$ts/scripts/with-silo.sh" bash -c "cd '$ts' && node --test --test-reporter=spec --test-reporter-destination=stdout \
      --test-reporter=tap --test-reporter-destination='$results/typescript.tap' dist-test/test/"
    npm_status=$?
  fi
fi
[ "$npm_status" -eq 0 ] || status=1

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done
# node's TAP reporter ends with "# pass N", "# fail N", "# cancelled N", "# skipped N", "# todo N".
tap="$results/typescript.tap"
if [ -f "$tap" ] && grep -q '^# tests [0-9]' "$tap"; then
  tapget() { grep -o "^# $1 [0-9]*" "$tap" | tail -n 1 | grep -o '[0-9]*$' || echo 0; }
  passed=$((passed + $(tapget pass)))
  failed=$((failed + $(tapget fail) + $(tapget cancelled)))
  skipped=$((skipped + $(tapget skipped) + $(tapget todo)))
else
  echo "test.sh: the TypeScript tests reported no results" >&2
  failed=$((failed + 1))
fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  echo "test.sh: no test was executed" >&2
  status=1
fi
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
exit $status
