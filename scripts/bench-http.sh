#!/usr/bin/env bash
# HTTP benchmark of the kiosk node (issue 2): cold start to first served page, then wrk with 32 connections on
# loopback against the start screen and, in the same run, a bare endpoint of the same app (/health/live), and the
# node's resident memory after the run. Release build, its own SQLite file in a temp folder.
# Usage: scripts/bench-http.sh [seconds-per-run (default 15)]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prerequisites.sh bench
duration="${1:-15}"
dotnet build Kiosk.Web/Kiosk.Web.csproj -c Release -nologo -v quiet >/dev/null
dll="$PWD/Kiosk.Web/bin/Release/net10.0/Kiosk.Web.dll"
tmp=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"

start_ns=$(date +%s%N)
(cd Kiosk.Web && exec dotnet "$dll" --urls "$url" --Storage:DatabasePath="$tmp/kiosk.db" \
   --Logging:LogLevel:Default=Warning) >"$tmp/kiosk.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
until curl -fsS -o /dev/null "$url/"; do sleep 0.02; done
cold_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
rss_idle=$(awk '/VmRSS/{print $2}' /proc/$pid/status)

run() { wrk -t2 -c32 -d"${duration}s" --latency "$1" 2>&1; }
echo "== warm-up"; wrk -t2 -c32 -d5s "$url/" >/dev/null 2>&1; wrk -t2 -c32 -d3s "$url/health/live" >/dev/null 2>&1
echo "== bare endpoint $url/health/live"; bare=$(run "$url/health/live"); echo "$bare"
echo "== start screen $url/"; page=$(run "$url/"); echo "$page"
rss_after=$(awk '/VmRSS/{print $2}' /proc/$pid/status)

rps() { awk '/Requests\/sec/{print $2}' <<<"$1"; }
p99() { awk '$1=="99%"{print $2}' <<<"$1"; }
echo
echo "| measure | start screen / | bare /health/live | ratio |"
echo "|---|---|---|---|"
echo "| requests/s | $(rps "$page") | $(rps "$bare") | $(awk -v a="$(rps "$page")" -v b="$(rps "$bare")" 'BEGIN{printf "%.2f", a/b}') |"
echo "| p99 latency | $(p99 "$page") | $(p99 "$bare") | |"
echo
echo "cold start to first served page: ${cold_ms} ms; resident memory: ${rss_idle} KiB after start, ${rss_after} KiB after the runs"
