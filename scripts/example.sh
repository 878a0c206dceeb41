#!/usr/bin/env bash
# npm run example: builds the package, starts the simulator and a static server on
# 127.0.0.1, and prints the URL of the browser example (examples/browser.html).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
source scripts/sim-lib.sh
EKA_SIM_PORT=${EKA_SIM_PORT:-8787} start_sim .tmp/example-sim.out
node examples/serve.mjs "$EKA_SIM_URL"
