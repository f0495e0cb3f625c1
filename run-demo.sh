#!/usr/bin/env bash
# Starts a complete local demo on loopback: Central (SQLite, seeded demo registry, clinics, doctors and slots),
# a kiosk node (SQLite) and its sync worker, and on first start a demo CA whose citizens are people of Central's
# registry (key files and their password are printed). Data lives in .data/demo/ (git-ignored); delete it to start
# afresh.
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
root="$PWD"
bin() { echo "$root/$1/bin/Release/net10.0/$1.dll"; }

pki="$data/pki"
if [ ! -f "$pki/manifest.json" ]; then
  echo "First start: seeding Central's registry and writing the demo CA to $pki …"
  dotnet "$(bin Kiosk.Central)" demo-ca --registry "$data/central.db" --out "$pki" >"$data/logs/demo-ca.log" 2>&1 \
    || { cat "$data/logs/demo-ca.log"; exit 1; }
fi
password="$(sed -n 's/^ *"password": *"\(.*\)",$/\1/p' "$pki/manifest.json")"
crl_until="$(sed -n 's/^ *"crlNextUpdate": *"\(.*\)",$/\1/p' "$pki/manifest.json")"
if [ "$(date -u +%s)" -ge "$(date -u -d "$crl_until" +%s)" ]; then
  echo "Warning: the demo CRLs expired at $crl_until, so sign-in reports crl-stale. Delete $pki to make a fresh demo CA." >&2
fi

# The demo kiosk is provisioned on both sides (docs/sync-protocol.md §1): a random credential made on first start and
# kept in .data/demo, given to Central and to the sync worker in their environment (not on the command line, where
# any user of the machine could read it in the process list).
kiosk_id="demo-kiosk"
credential_file="$data/kiosk-credential"
if [ ! -s "$credential_file" ]; then
  (umask 077; head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$credential_file")
fi
credential="$(cat "$credential_file")"

# Demo staff (issue 12; docs/staff.md): added to Central's staff register on first start with the admin command, their
# passwords printed this once (nothing keeps them; `staff reset-password` makes new ones). The registrar is the demo
# CA's employee of the first clinic (their key files sign at the desk); the operator works for the provider.
provider_bin="010440000015"
staff_marker="$data/staff-created"
staff_lines=""
if [ ! -f "$staff_marker" ]; then
  registrar_iin="$(grep -A4 '"category": "registrar"' "$pki/manifest.json" | sed -n 's/.*"iin": "\([0-9]\{12\}\)".*/\1/p' | head -1)"
  registrar_bin="$(grep -A8 '"category": "registrar"' "$pki/manifest.json" | sed -n 's/.*"bin": "\([0-9]\{12\}\)".*/\1/p' | head -1)"
  add_staff() { dotnet "$(bin Kiosk.Central)" staff add "$@" --Storage:DatabasePath="$data/central.db" 2>&1; }
  registrar_out="$(add_staff --iin "$registrar_iin" --name "Сейітова Динара (демо)" --bin "$registrar_bin" --roles registrar)" \
    || { echo "$registrar_out"; exit 1; }
  operator_out="$(add_staff --iin 850315300128 --name "Оператор Демо" --bin "$provider_bin" --roles operator)" \
    || { echo "$operator_out"; exit 1; }
  pw() { sed -n 's/.*nothing keeps it): //p' <<<"$1"; }
  staff_lines="  Registrar (desk, journals):  IIN $registrar_iin   password $(pw "$registrar_out")
  Operator (kiosk /staff, Central /fleet):  IIN 850315300128   password $(pw "$operator_out")
  (shown this once; new ones: dotnet Kiosk.Central/bin/Release/net10.0/Kiosk.Central.dll staff reset-password --iin <IIN> --Storage:DatabasePath=$data/central.db)"
  touch "$staff_marker"
fi
# Central's operator token (the kiosk register API, /metrics), made the same way.
central_token_file="$data/central-operator-token"
if [ ! -s "$central_token_file" ]; then
  (umask 077; head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$central_token_file")
fi
central_token="$(cat "$central_token_file")"

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

# The demo serves plain HTTP on loopback, so its staff cookies are not marked Secure (Staff:SecureCookies=false);
# outside a demo Central and the node sit behind TLS and keep the Secure default.
(cd Kiosk.Central && exec env "Kiosks__Provisioned__$kiosk_id=$credential" "Kiosks__Clinics__$kiosk_id=1" "Operators__Token=$central_token" \
  dotnet "$(bin Kiosk.Central)" --urls "http://127.0.0.1:$central_port" \
  --Storage:DatabasePath="$data/central.db" --DemoData:Enabled=true --Pki:TrustDirectory="$pki/trust" \
  --Staff:ProviderBin="$provider_bin" --Staff:SecureCookies=false) >"$data/logs/central.log" 2>&1 &
pids+=($!)
wait_ready "http://127.0.0.1:$central_port" Central "$data/logs/central.log"

(cd Kiosk.Web && exec dotnet "$(bin Kiosk.Web)" --urls "http://127.0.0.1:$kiosk_port" \
  --Storage:DatabasePath="$data/kiosk.db" --Central:BaseUrl="http://127.0.0.1:$central_port/" \
  --Sync:KioskId="$kiosk_id" --Pki:TrustDirectory="$pki/trust" --Staff:SecureCookies=false) >"$data/logs/kiosk.log" 2>&1 &
pids+=($!)
wait_ready "http://127.0.0.1:$kiosk_port" "The kiosk node" "$data/logs/kiosk.log"

(cd Kiosk.Sync && exec env "Sync__Credential=$credential" dotnet "$(bin Kiosk.Sync)" --Storage:DatabasePath="$data/kiosk.db" \
  --Central:BaseUrl="http://127.0.0.1:$central_port/" --Sync:KioskId="$kiosk_id" --Sync:PollInterval=00:00:05) \
  >"$data/logs/sync.log" 2>&1 &
pids+=($!)

cat <<MSG

Demo is running (logs in .data/demo/logs/):
  Kiosk (open this, ideally at 1080×1920):  http://127.0.0.1:$kiosk_port/
  Central reference data:                   http://127.0.0.1:$central_port/api/reference/clinics
  Health:                                   http://127.0.0.1:$kiosk_port/health/ready   http://127.0.0.1:$central_port/health/ready
  Sync worker (kiosk "$kiosk_id" → Central):  .data/demo/logs/sync.log
  Staff sign-in at the kiosk (desk, status): http://127.0.0.1:$kiosk_port/staff/sign-in   (IIN and password)
  Central's operator pages (fleet, …):       http://127.0.0.1:$central_port/fleet
  Central's operator API token (Bearer):     $central_token
${staff_lines:+
Demo staff:
$staff_lines
}
Demo EDS keys (synthetic people of Central's registry; never real): $pki
  Sign in with an AUTH_… file from $pki/citizens/, sign with the RSA256_… file of the same person.
  Password of every key file: $password
  Who is who, and the hostile files (expired, revoked, look-alike CA, …): $pki/README.txt
Press Ctrl+C to stop.
MSG
wait -n "${pids[@]}"
echo "A demo process stopped; see .data/demo/logs/." >&2
exit 1
