#!/usr/bin/env bash
# Runs every test: unit, integration (real SQLite files, real HTTP on loopback) and end-to-end (Debian's Chromium).
# Installs what it needs first (see scripts/prerequisites.sh). Ends with "Tests: N passed, N failed[, N skipped]".
# Extra arguments go to `dotnet test` (for example: ./run-tests.sh --filter FullyQualifiedName~Iin).
set -uo pipefail
cd "$(dirname "$0")"
scripts/prerequisites.sh test || exit 2

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log=$(mktemp)
results=TestResults
rm -rf "$results"

if ! dotnet build Kiosk.slnx -c Release -nologo -v quiet 2>&1 | tee "$log" | grep -E "error|Build succeeded" ; then :; fi
if ! grep -q "Build succeeded" "$log"; then
  echo "The build failed; see the errors above."
  echo "Tests: 0 passed, 1 failed"
  exit 1
fi

dotnet test Kiosk.Tests/Kiosk.Tests.csproj -c Release --no-build --results-directory "$results" \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" \
  | grep -vE "^\s*(Passed|Skipped) " || true
status=${PIPESTATUS[0]}

trx="$results/results.trx"
counters=$(grep -o '<Counters [^>]*>' "$trx" 2>/dev/null | head -1)
if [ -z "$counters" ]; then
  echo "The test run ended without results (crashed or aborted)."
  echo "Tests: 0 passed, 1 failed"
  exit 1
fi
count() { sed -E "s/.* $1=\"([0-9]+)\".*/\1/" <<<"$counters"; }
passed=$(count passed)
failed=$(( $(count failed) + $(count error) + $(count timeout) + $(count aborted) ))
skipped=$(count notExecuted)
line="Tests: $passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
