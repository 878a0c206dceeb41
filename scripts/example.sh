#!/usr/bin/env bash
# npm run example: builds the package, starts the simulator and a static server on
# 127.0.0.1, and prints the URL of the browser example (examples/browser.html).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
mkdir -p .tmp
node sim/server.mjs --port "${EKA_SIM_PORT:-8787}" > .tmp/example-sim.out &
sim_pid=$!
trap 'kill $sim_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q listening .tmp/example-sim.out && break; sleep 0.1; done
node examples/serve.mjs "$(grep -Eo 'http://127\.0\.0\.1:[0-9]+' .tmp/example-sim.out)"
