#!/usr/bin/env bash
# Publishes the self-contained single-file kiosk for linux-x64 (publish-profiles/kiosk-linux-x64.pubxml), starts the
# published executable on its own (no dotnet on the command line, its own SQLite file) and checks that it serves its
# start screen, its stylesheet and /health/ready. Exit code 0 means the published kiosk works.
# Usage: scripts/check-publish.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out="$PWD/artifacts/kiosk-linux-x64"
echo "Publishing the kiosk (linux-x64, self-contained, single file) …"
dotnet publish Kiosk.Web/Kiosk.Web.csproj -p:PublishProfileFullPath="$PWD/publish-profiles/kiosk-linux-x64.pubxml" \
  -nologo -v quiet
exe="$out/Kiosk.Web"
[ -x "$exe" ] || { echo "No executable at $exe" >&2; exit 1; }
echo "Published: $(du -h "$exe" | cut -f1) $exe ($(ls "$out" | wc -l) file(s) in the folder)"

tmp=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
# A trust folder with one throw-away root, so the EDS check is configured and /health/ready can be Healthy (without
# one the kiosk rightly reports Degraded: nobody could sign in).
mkdir -p "$tmp/trust"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/root.key" -subj "/CN=check-publish throw-away root" -days 2 \
  -outform DER -out "$tmp/trust/root.cer" 2>/dev/null
# Started from an unrelated folder, so nothing is read from the source tree.
(cd "$tmp" && exec "$exe" --urls "$url" --Storage:DatabasePath="$tmp/kiosk.db" --Pki:TrustDirectory="$tmp/trust") >"$tmp/kiosk.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 1 120); do curl -fsS -o /dev/null "$url/health/ready" 2>/dev/null && break; sleep 0.5; done

fail() { echo "FAIL: $1" >&2; tail -30 "$tmp/kiosk.log" >&2; exit 1; }
curl -fsS "$url/health/ready" | grep -q Healthy || fail "/health/ready is not Healthy"
page=$(curl -fsS "$url/")
grep -q 'data-page="start"' <<<"$page" || fail "/ is not the start screen"
css=$(grep -o '/assets/css/kiosk.css[^"]*' <<<"$page" | head -1)
[ -n "$css" ] || fail "the start screen links no stylesheet"
curl -fsS -o /dev/null "$url$css" || fail "the stylesheet $css is not served"
sqlite_mode=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('pragma journal_mode').fetchone()[0])" "$tmp/kiosk.db")
[ "$sqlite_mode" = wal ] || fail "the kiosk database is not in WAL mode ($sqlite_mode)"
echo "OK: the published kiosk serves its start screen, its stylesheet and /health/ready; its SQLite file is in WAL mode."
