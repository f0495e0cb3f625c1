#!/usr/bin/env bash
# Sync drain benchmark (issue 4): N signed home calls (default 10,000) queued in a fresh kiosk SQLite file, pushed by
# the real sync worker process to the real Central process on loopback (signature checks and registration included)
# until the outbox is empty; then Central's raw intake of the same envelopes (IntakeService.Push, no HTTP) into another
# fresh Central database in the same run, as the baseline. Both processes' resident memory is sampled during the drain.
# Release build; everything in a temp folder. Prints a markdown table (progress on stderr).
# Usage: scripts/bench-drain.sh [requests (default 10000)] [batch size (default 50, the worker's default)]
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-10000}"
batch="${2:-50}"
for project in Kiosk.Central Kiosk.Sync Kiosk.Benchmarks; do
  dotnet build "$project/$project.csproj" -c Release -nologo -v quiet >/dev/null
done
exec dotnet Kiosk.Benchmarks/bin/Release/net10.0/Kiosk.Benchmarks.dll drain --count "$count" --batch "$batch"
