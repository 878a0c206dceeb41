#!/usr/bin/env bash
# npm run fuzz: the long run of the core's property tests (tests/proto_props.rs), one
# million cases per property by default (FUZZ_CASES=n for another count), release build.
# `npm test` runs the same properties briefly (proptest's default, 256 cases each).
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${FUZZ_CASES:-1000000}
echo "[fuzz] $cases cases per property (tests/proto_props.rs, release build)"
start=$(date +%s)
PROPTEST_CASES=$cases cargo test --release --test proto_props --test proto_durable -- --test-threads=2 2>&1 | tee .tmp/fuzz.log
echo "[fuzz] $(grep -c '\.\.\. ok' .tmp/fuzz.log) properties passed, $cases cases each, in $(( $(date +%s) - start )) s"
