#!/usr/bin/env bash
# Stop the Fuseki started by start.sh in RUN_DIR:   fuseki/stop.sh RUN_DIR
set -euo pipefail
run_dir="${1:?usage: stop.sh RUN_DIR}"
pidfile="$run_dir/fuseki.pid"
[[ -f "$pidfile" ]] || { echo "stop.sh: no Fuseki pid file in $run_dir" >&2; exit 0; }
pid="$(cat "$pidfile")"
if kill -0 "$pid" 2>/dev/null; then
  kill "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
fi
rm -f "$pidfile"
