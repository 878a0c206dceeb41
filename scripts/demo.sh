#!/usr/bin/env bash
# The main job: build the package, start the simulator on 127.0.0.1, poll a simulated
# session with visible progress, print the typed result, stop the simulator.
#   npm run demo [-- <session-id>]      e.g. npm run demo -- partial.1
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
mkdir -p .tmp
node sim/server.mjs --port "${EKA_SIM_PORT:-0}" > .tmp/demo-sim.out &
sim_pid=$!
trap 'kill $sim_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q listening .tmp/demo-sim.out && break; sleep 0.1; done
EKA_SIM_URL=$(grep -Eo 'http://127\.0\.0\.1:[0-9]+' .tmp/demo-sim.out)
export EKA_SIM_URL
echo
node examples/demo.mjs "$@"
