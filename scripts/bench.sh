#!/usr/bin/env bash
# npm run bench: builds the package, then runs the side-by-side benchmark (it starts its
# own simulator on 127.0.0.1 and headless Chromium; a 10-minute recording with a fake
# microphone among it), then the recorder's labelled-set report. Pass --quick for a short run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
bash scripts/build.sh
node --expose-gc bench/run.mjs "$@"
# The recorder's labelled set: the detector and the cuts against the truth, clean and with
# pink noise and babble at 20/10/5 dB, beside an energy detector (examples/vad_report.rs).
cargo run --quiet --release --example vad_report
