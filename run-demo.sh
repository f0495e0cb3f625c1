#!/usr/bin/env bash
# Starts a complete local demo on loopback: Central (SQLite, seeded demo registry, clinics, doctors and slots),
# a kiosk node (SQLite) and its sync worker. Data lives in .data/demo/ (git-ignored); delete it to start afresh.
# Environment: CENTRAL_PORT (5080), KIOSK_PORT (5000). Stop with Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")"
scripts/prerequisites.sh demo

central_port="${CENTRAL_PORT:-5080}"
kiosk_port="${KIOSK_PORT:-5000}"
data="$PWD/.data/demo"
mkdir -p "$data/logs"

echo "Building (Release)…"
dotnet build Kiosk.slnx -c Release -nologo -v quiet >"$data/logs/build.log" 2>&1 || { cat "$data/logs/build.log"; exit 1; }
bin() { echo "$PWD/$1/bin/Release/net10.0/$1.dll"; }

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

wait_ready() {
  local url="$1" name="$2" log="$3"
  for _ in $(seq 1 120); do
    curl -fsS "$url/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "$name did not become ready; its log:" >&2; tail -40 "$log" >&2; exit 1
}

(cd Kiosk.Central && exec dotnet "$(bin Kiosk.Central)" --urls "http://127.0.0.1:$central_port" \
  --Storage:DatabasePath="$data/central.db") >"$data/logs/central.log" 2>&1 &
pids+=($!)
wait_ready "http://127.0.0.1:$central_port" Central "$data/logs/central.log"

(cd Kiosk.Web && exec dotnet "$(bin Kiosk.Web)" --urls "http://127.0.0.1:$kiosk_port" \
  --Storage:DatabasePath="$data/kiosk.db" --Central:BaseUrl="http://127.0.0.1:$central_port/") >"$data/logs/kiosk.log" 2>&1 &
pids+=($!)
wait_ready "http://127.0.0.1:$kiosk_port" "The kiosk node" "$data/logs/kiosk.log"

(cd Kiosk.Sync && exec dotnet "$(bin Kiosk.Sync)" --Storage:DatabasePath="$data/kiosk.db" \
  --Central:BaseUrl="http://127.0.0.1:$central_port/") >"$data/logs/sync.log" 2>&1 &
pids+=($!)

cat <<MSG

Demo is running (logs in .data/demo/logs/):
  Kiosk (open this, ideally at 1080×1920):  http://127.0.0.1:$kiosk_port/
  Central reference data:                   http://127.0.0.1:$central_port/api/reference/clinics
  Health:                                   http://127.0.0.1:$kiosk_port/health/ready   http://127.0.0.1:$central_port/health/ready
Press Ctrl+C to stop.
MSG
wait -n "${pids[@]}"
echo "A demo process stopped; see .data/demo/logs/." >&2
exit 1
