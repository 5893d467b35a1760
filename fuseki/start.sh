#!/usr/bin/env bash
# Start Fuseki on 127.0.0.1 with the Model Lake configuration.
#   fuseki/start.sh RUN_DIR [PORT]
# RUN_DIR gets the TDB2 database (RUN_DIR/tdb2), the config, the password file, fuseki.log and
# fuseki.pid. Waits until /$/ping answers and a real query succeeds, then prints
#   url=http://127.0.0.1:PORT/modellake  user=modellake  password_file=RUN_DIR/password
# Environment: FUSEKI_QUERY_TIMEOUT_MS (default 30000), FUSEKI_HEAP (default 2g),
# FUSEKI_START_TIMEOUT seconds (default 90).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
run_dir="${1:?usage: start.sh RUN_DIR [PORT]}"
port="${2:-3030}"
timeout_ms="${FUSEKI_QUERY_TIMEOUT_MS:-30000}"
heap="${FUSEKI_HEAP:-2g}"
wait_s="${FUSEKI_START_TIMEOUT:-90}"

[[ "$port" =~ ^[0-9]+$ ]] || { echo "start.sh: port must be a number, got '$port'" >&2; exit 2; }
jar="$("$here/install.sh")"
mkdir -p "$run_dir"
run_dir="$(cd "$run_dir" && pwd)"
case "$run_dir" in *[\"\\]*) echo "start.sh: RUN_DIR must not contain quotes or backslashes" >&2; exit 2;; esac

if [[ -f "$run_dir/fuseki.pid" ]] && kill -0 "$(cat "$run_dir/fuseki.pid")" 2>/dev/null; then
  echo "start.sh: Fuseki already running (pid $(cat "$run_dir/fuseki.pid"))" >&2; exit 1
fi

# A fresh random password per run directory (kept if present), readable by the owner only.
if [[ ! -s "$run_dir/password" ]]; then
  (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=\n' > "$run_dir/password")
fi
(umask 077; printf 'modellake: %s\n' "$(cat "$run_dir/password")" > "$run_dir/passwd")
sed -e "s|@TDB2_LOCATION@|$run_dir/tdb2|" -e "s|@QUERY_TIMEOUT_MS@|$timeout_ms|" \
    "$here/config.ttl" > "$run_dir/config.ttl"

FUSEKI_BASE="$run_dir/base" nohup java "-Xmx$heap" -jar "$jar" --localhost --port="$port" --ping \
    --config="$run_dir/config.ttl" --passwd="$run_dir/passwd" --auth=basic \
    > "$run_dir/fuseki.log" 2>&1 &
pid=$!
echo "$pid" > "$run_dir/fuseki.pid"

base="http://127.0.0.1:$port"
deadline=$((SECONDS + wait_s))
until curl -fsS "$base/\$/ping" >/dev/null 2>&1 \
      && curl -fsS --data-urlencode 'query=ASK {}' "$base/modellake/query" >/dev/null 2>&1; do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "start.sh: Fuseki exited during start-up; last log lines:" >&2
    tail -n 20 "$run_dir/fuseki.log" >&2
    rm -f "$run_dir/fuseki.pid"
    exit 1
  fi
  if (( SECONDS > deadline )); then
    echo "start.sh: Fuseki did not answer on $base within ${wait_s}s" >&2
    kill "$pid" 2>/dev/null || true
    rm -f "$run_dir/fuseki.pid"
    exit 1
  fi
  sleep 0.5
done
echo "url=$base/modellake user=modellake password_file=$run_dir/password pid=$pid"
