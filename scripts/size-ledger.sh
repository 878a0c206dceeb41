#!/usr/bin/env bash
# What each part of the main browser entry costs, measured ("what each KB buys"): the
# package's module built as `npm run build` builds it (scripts/wasm-module.sh), once as it
# is and once per part with that part's JS exports cut off — each returns at once, so the
# compiler and wasm-opt drop all the code only it reaches — in a scratch copy of the
# sources (target/size-ledger). Printed side by side with the baseline of the same run; the
# entry's JS (browser.js) is the same in every variant, so it is added as measured in pkg/.
#   npm run size:ledger        (a few minutes; a developer's tool, not a test)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
scratch=$root/target/size-ledger
mkdir -p "$scratch"
bash scripts/setup.sh > "$scratch/setup.log" 2>&1 || { cat "$scratch/setup.log" >&2; exit 1; }
[ -f pkg/browser.js ] || bash scripts/build.sh > /dev/null

say() { printf '\033[1;34m[ledger]\033[0m %s\n' "$*" >&2; }
# gzip -9 bytes of a file, as scripts/size.mjs counts them (Node's zlib).
gz() { node -e 'console.log(require("zlib").gzipSync(require("fs").readFileSync(process.argv[1]), { level: 9 }).length)' "$1"; }
# The sources as they are now (committed or not), into the scratch copy.
copy_sources() {
  rm -rf "$scratch/src-copy" && mkdir -p "$scratch/src-copy"
  git ls-files -co --exclude-standard -z | grep -zv '^tests/fixtures/' |
    (cd "$root" && xargs -0 cp --parents -t "$scratch/src-copy")
  ln -s "$root/node_modules" "$scratch/src-copy/node_modules"
}

# The parts: a label and the exports of src/wasm/api.rs it cuts off.
PARTS=(
  "transcribe (the Transcriber's driver, durable stores, resume)|transcribe_js"
  "the table's 14 other operations (call), Discovery kept|call_js"
  "createSession, uploadAudio, endSession|create_session_js upload_audio_js end_session_js"
  "all four (left: pollSession, getSession, the client)|transcribe_js call_js create_session_js upload_audio_js end_session_js"
)

# variant <exports…>: the optimized module's gzip -9 bytes with those exports cut off.
variant() {
  copy_sources
  node "$root/scripts/size-ledger-cut.mjs" "$scratch/src-copy/src/wasm/api.rs" "$@"
  (
    cd "$scratch/src-copy"
    source scripts/wasm-module.sh
    module std,js-package "$scratch/target" "$scratch/out" > /dev/null 2> "$scratch/build.log" ||
      { cat "$scratch/build.log" >&2; exit 1; }
  )
  gz "$scratch/out/eka_voice_bg.wasm"
}

kb() { node -e 'console.log((process.argv[1] / 1024).toFixed(1))' "$1"; }
say "baseline: the module as it is"
base=$(variant)
js=$(gz pkg/browser.js)
printf '%-76s %9s %9s\n' "main browser entry (browser.js $(kb "$js") KB + the module)" "KB gzip" "buys"
printf '%-76s %9s %9s\n' "as it is" "$(kb $((base + js)))" ""
for part in "${PARTS[@]}"; do
  label=${part%%|*}
  say "without: $label"
  # shellcheck disable=SC2086
  cut=$(variant ${part#*|})
  printf '%-76s %9s %9s\n' "without $label" "$(kb $((cut + js)))" "$(kb $((base - cut)))"
done
