#!/usr/bin/env bash
# The main job: build the package, start the simulator on 127.0.0.1, synthesise audio,
# transcribe it with a progress bar, print the completed session, stop the simulator.
#   npm run demo [-- --poll <session-id> | --webhook]   e.g. npm run demo -- --poll partial.1
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
source scripts/sim-lib.sh
start_sim .tmp/demo-sim.out
echo
node examples/demo.mjs "$@"
