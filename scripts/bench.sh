#!/usr/bin/env bash
# npm run bench: builds the package, then runs the side-by-side benchmark (it starts its
# own simulator on 127.0.0.1 and headless Chromium). Pass --quick for a short run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
bash scripts/build.sh
node --expose-gc bench/run.mjs "$@"
