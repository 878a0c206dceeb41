# Sourced by the scripts that need the simulator: start_sim LOG starts it on 127.0.0.1
# (port $EKA_SIM_PORT, default: any free port), exports EKA_SIM_URL, and stops it (by
# PID) when the calling script exits.
start_sim() {
  local log=$1
  mkdir -p "$(dirname "$log")"
  node sim/server.mjs --port "${EKA_SIM_PORT:-0}" > "$log" 2> "$log.err" &
  SIM_PID=$!
  trap 'kill $SIM_PID 2>/dev/null || true' EXIT
  for _ in $(seq 50); do grep -q listening "$log" && break; sleep 0.1; done
  EKA_SIM_URL=$(grep -Eo 'http://127\.0\.0\.1:[0-9]+' "$log" || true)
  if [ -z "$EKA_SIM_URL" ]; then echo "the simulator did not start" >&2; cat "$log.err" >&2; exit 1; fi
  export EKA_SIM_URL
}
