#!/usr/bin/env bash
# All tests: lint, host unit + doc tests, the wasm suites in Node, headless Chromium and a
# dedicated worker against the simulator, and the built npm package (node:test + tsc).
# Fails if any suite ran nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser --consumers --redis

say() { printf '\033[1;34m[test]\033[0m %s\n' "$*"; }
summary=()
# Sums the "N passed" of every result line in a log; fails when N is 0, or when fewer
# result lines than `binaries` (3rd argument) appear: a test binary skipped for its
# environment prints none.
count() {
  local name=$1 log=$2 binaries=${3:-1} n lines
  lines=$(grep -Ec 'test result: ok\. [0-9]+ passed|^# pass [0-9]+' "$log" || true)
  n=$(grep -Eo 'test result: ok\. [0-9]+ passed|^# pass [0-9]+' "$log" | grep -Eo '[0-9]+' | awk '{s+=$1} END {print s+0}')
  if [ "$n" -eq 0 ]; then echo "suite '$name' ran no tests" >&2; exit 1; fi
  if [ "$lines" -lt "$binaries" ]; then echo "suite '$name': $lines of $binaries test binaries reported" >&2; exit 1; fi
  summary+=("$(printf '%-34s %4d passed' "$name" "$n")")
}
tmp=.tmp
mkdir -p "$tmp"

say "cargo fmt --check, clippy -D warnings (host and wasm32), cargo doc -D warnings"
cargo fmt --all -- --check
cargo fmt --manifest-path examples/rust-app/Cargo.toml -- --check
cargo clippy --quiet --all-targets -- -D warnings
# wasm32 as a Rust app sees the crate (no exports, no allocator), as the wasm suites build
# it (with the package's exports), and as the package's module (no serde, js-package).
cargo clippy --quiet --all-targets --target wasm32-unknown-unknown -- -D warnings
cargo clippy --quiet --all-targets --target wasm32-unknown-unknown --features js-package -- -D warnings
cargo clippy --quiet --lib --target wasm32-unknown-unknown --no-default-features --features std,js-package -- -D warnings
cargo clippy --quiet --lib --target wasm32-unknown-unknown --no-default-features --features std,server -- -D warnings
cargo clippy --quiet --lib --target wasm32-unknown-unknown --no-default-features --features recorder -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --quiet --no-deps --target wasm32-unknown-unknown
RUSTDOCFLAGS="-D warnings" cargo doc --quiet --no-deps --target wasm32-unknown-unknown --no-default-features --features recorder
# On the host too: the wasm layer and the Rust API are documented on every target.
RUSTDOCFLAGS="-D warnings" cargo doc --quiet --no-deps

say "host: cargo test (unit + doc tests)"
cargo test --quiet 2>&1 | tee "$tmp/host.log"
count "host (cargo test)" "$tmp/host.log"

say "simulator: node --test tests/sim.test.mjs tests/sim-catalog.test.mjs"
node --test --test-reporter=tap tests/sim.test.mjs tests/sim-catalog.test.mjs 2>&1 | tee "$tmp/sim-tests.log" | grep -E '^(not )?ok |^# (pass|fail)'
grep -q '^# fail 0' "$tmp/sim-tests.log" || { cat "$tmp/sim-tests.log"; exit 1; }
count "simulator (node:test)" "$tmp/sim-tests.log"

say "building the npm package; size check (deterministic, so it belongs in the tests)"
bash scripts/build.sh
node scripts/size.mjs --check
summary+=("$(printf '%-34s %s' "size (browser entry, gzip -9)" "$(node -e 'import("./scripts/size.mjs").then(m => { const e = m.measure().entries.browser; console.log((e.gzip / 1024).toFixed(1) + " KB of " + (e.budget / 1024) + " KB, " + (e.raw / 1024).toFixed(1) + " KB raw"); })')")")

say "faults: the built package through a TCP fault proxy (node --test tests/faults/faults.test.mjs)"
# (not a pipeline: a failure must print the whole log — its diagnostics — before stopping)
node --test --test-reporter=tap tests/faults/faults.test.mjs > "$tmp/faults.log" 2>&1 || true
grep -E '^\s*(not )?ok |^# (pass|fail)' "$tmp/faults.log"
grep -q '^# fail 0' "$tmp/faults.log" || { cat "$tmp/faults.log"; exit 1; }
count "faults (node:test, TCP proxy)" "$tmp/faults.log"

say "starting the simulator"
source scripts/sim-lib.sh
start_sim "$tmp/sim.out"
say "simulator at $EKA_SIM_URL (pid $SIM_PID)"

wasm_suite() {
  local name=$1; shift
  say "wasm: $name"
  env EKA_TEST_ENV="$name" "$@" cargo test --target wasm32-unknown-unknown --features js-package --test wasm_session --test wasm_lifecycle --test wasm_conformance --test wasm_durable --test wasm_seam --test wasm_ops --test wasm_defenses --test proto_core 2>&1 | tee "$tmp/wasm-$name.log"
  count "wasm ($name)" "$tmp/wasm-$name.log" 8
}
wasm_suite node WASM_BINDGEN_TEST_TIMEOUT=120
wasm_suite chromium WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120
wasm_suite worker WASM_BINDGEN_USE_DEDICATED_WORKER=1 CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120

# A Rust/wasm app that depends on the crate by path (its own allocator, its own exports).
rust_app() {
  local name=$1; shift
  say "rust app (examples/rust-app): $name"
  env "$@" cargo test --target wasm32-unknown-unknown --manifest-path examples/rust-app/Cargo.toml 2>&1 | tee "$tmp/rust-app-$name.log"
  count "rust app ($name)" "$tmp/rust-app-$name.log" 2
}
rust_app node WASM_BINDGEN_TEST_TIMEOUT=120
rust_app chromium WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120
cargo clippy --quiet --all-targets --target wasm32-unknown-unknown --manifest-path examples/rust-app/Cargo.toml -- -D warnings

say "package: npm pack, install into a fresh project, node:test + tsc --strict"
consumer="$tmp/consumer"
rm -rf "$consumer" && mkdir -p "$consumer"
tarball=$(cd pkg && npm pack --silent --pack-destination "../$tmp" | tail -n 1)
echo '{"name":"consumer","private":true,"type":"module"}' > "$consumer/package.json"
(cd "$consumer" && npm install --silent --no-audit --no-fund "../$tarball")
cp -r tests/package/*.mjs tests/package/*.ts tests/package/tsconfig.json tests/package/tsconfig.node.json tests/package/browser tests/package/recorder tests/package/outage scripts/webdriver.mjs "$consumer/"
root="$(pwd)"
fixtures="$root/tests/fixtures/audio"
# prism.test.mjs: every operation through Prism's validation proxy against the provider's OpenAPI.
(cd "$consumer" && EKA_FIXTURES="$fixtures" EKA_PRISM="$root/node_modules/.bin/prism" EKA_OPENAPI="$root/tests/fixtures/openapi/eka-voice-openapi.yaml" node --test --test-reporter=tap ./api.test.mjs ./load.test.mjs ./server.test.mjs ./proxy.test.mjs ./redis.test.mjs ./prism.test.mjs) 2>&1 | tee "$tmp/package.log" | grep -E '^(not )?ok |^# (pass|fail)'
grep -q '^# fail 0' "$tmp/package.log" || { cat "$tmp/package.log"; exit 1; }
count "package (node:test)" "$tmp/package.log"
say "package in headless Chromium: a page importing 'eka-voice' by name, and a module worker"
(cd "$consumer" && EKA_FIXTURES="$fixtures" CHROMEDRIVER=/usr/bin/chromedriver node browser.run.mjs) 2>&1 | tee "$tmp/package-browser.log"
count "package (chromium page + worker)" "$tmp/package-browser.log"
say "the recorder in headless Chromium with a fake microphone: record -> transcribe -> simulator"
(cd "$consumer" && EKA_FIXTURES="$fixtures" CHROMEDRIVER=/usr/bin/chromedriver node recorder.run.mjs) 2>&1 | tee "$tmp/recorder.log"
count "recorder (chromium, fake microphone)" "$tmp/recorder.log"
say "outages: the recorder through a TCP switch (refused, hung, slow; at Record, around Stop, 3 minutes, a killed page), a full disk, a malformed store, two tabs"
(cd "$consumer" && EKA_FIXTURES="$fixtures" CHROMEDRIVER=/usr/bin/chromedriver node outage.run.mjs) 2>&1 | tee "$tmp/outage.log"
count "outages (chromium, TCP switch)" "$tmp/outage.log"
node_modules/.bin/tsc -p "$consumer/tsconfig.json"
# A Node-only project too (lib es2023 + @types/node, no DOM), as the README uses the package.
node_modules/.bin/tsc -p "$consumer/tsconfig.node.json"
say "every snippet of the README as shipped type-checks (strict, exactOptionalPropertyTypes; DOM and Node-only)"
tsc_bin="$(pwd)/node_modules/.bin/tsc"
(cd "$consumer" && node readme-types.mjs "$tsc_bin") 2>&1 | tee "$tmp/readme-types.log"
count "README snippets (tsc, DOM + Node)" "$tmp/readme-types.log"
say "the README's quick starts, as shipped, run as written (Node and headless Chromium)"
(cd "$consumer" && EKA_FIXTURES="$fixtures" CHROMEDRIVER=/usr/bin/chromedriver node readme.run.mjs) 2>&1 | tee "$tmp/readme.log"
count "README quick starts (shipped)" "$tmp/readme.log"
say "consumer matrix: the tarball built or run by every common tool (tests/consumers)"
CHROMEDRIVER=/usr/bin/chromedriver node tests/consumers/run.mjs "$tmp/$tarball" 2>&1 | tee "$tmp/consumers.log" | grep -Ev '^\s+at '
count "consumer matrix (tools x runtimes)" "$tmp/consumers.log"
say "the demo's webhook flow, end to end (npm run demo -- --webhook)"
node examples/demo.mjs --webhook > "$tmp/demo-webhook.out" 2>&1 || { cat "$tmp/demo-webhook.out"; exit 1; }
grep -q 'signature verified; one Get Session -> completed' "$tmp/demo-webhook.out" || { cat "$tmp/demo-webhook.out"; exit 1; }
printf 'ok 1 - demo --webhook: signed delivery verified, one Get Session, completed\n# pass 1\n' | tee "$tmp/demo-webhook.log"
count "demo --webhook (end to end)" "$tmp/demo-webhook.log"
say "the browser example in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver node tests/example.run.mjs 2>&1 | tee "$tmp/example.log"
count "browser example (chromium)" "$tmp/example.log"
summary+=("$(printf '%-34s %s' "package types (tsc --strict, DOM and Node-only)" "ok")")

echo
say "summary"
printf '  %s\n' "${summary[@]}"
