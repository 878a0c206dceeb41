#!/usr/bin/env bash
# Builds the npm package into pkg/: two wasm modules of the crate (release: opt-level z,
# LTO, panic=abort) — the package's (feature js-package) and the server entry's (feature
# server: the package's plus the backend's exports) —, each through the wasm-bindgen web
# glue, short import names (scripts/shrink-imports.mjs) and wasm-opt -Oz (npm binaryen);
# then the entries bundled and minified (scripts/bundle.mjs, npm esbuild), plus
# pkg-template/ and the simulator.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

say() { printf '\033[1;34m[build]\033[0m %s\n' "$*"; }
target="${CARGO_TARGET_DIR:-target}"
# The dependencies' panic locations name their files under the registry: without the
# machine's $CARGO_HOME in them, the module is the same bytes on every machine (and shorter).
cargo fetch --quiet
registry=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/* | head -n 1)
rustc_src="/rustc/$(rustc -vV | sed -n 's/^commit-hash: //p')"

# module <features> <cargo target dir> <out dir> [opt-level]: the optimized module and its glue in
# <out dir> (eka_voice_bg.wasm, eka_voice.js, snippets/). Without the serde typed views and
# the Rust API (Rust-only); `js-package` adds the JS exports and talc.
module() {
  local features=$1 cargo_target=$2 out=$3 opt=${4:-z}
  say "cargo build --release (opt-level $opt) --target wasm32-unknown-unknown --no-default-features --features $features"
  CARGO_PROFILE_RELEASE_OPT_LEVEL=$opt \
  RUSTFLAGS="--remap-path-prefix=$registry=crates --remap-path-prefix=$rustc_src=rust" CARGO_TARGET_DIR="$cargo_target" \
    cargo build --quiet --release --lib --target wasm32-unknown-unknown --no-default-features --features "$features"
  rm -rf "$out" && mkdir -p "$out"
  wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name eka_voice \
    "$cargo_target/wasm32-unknown-unknown/release/eka_voice.wasm"
  say "short import names, wasm-opt -Oz"
  node scripts/shrink-imports.mjs "$out" > /dev/null
  # --low-memory-unused: Rust places nothing in the first 1 KB of memory (data starts at
  # 1 MiB, the stack grows down towards it), so wasm-opt may fold address offsets.
  # After -Oz, --flatten --rereloop rebuilds the control flow and GUFA propagates what it
  # can prove about values across functions: together -0.27 KB gzip (measured), then -Oz.
  node_modules/.bin/wasm-opt -Oz --flatten --rereloop -Oz --gufa-optimizing -Oz --converge \
    --low-memory-unused --strip-debug --strip-producers \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$out/eka_voice_bg.wasm" -o "$out/optimized.wasm"
  mv "$out/optimized.wasm" "$out/eka_voice_bg.wasm"
}

rm -rf pkg && mkdir -p pkg
module std,js-package "$target" "$target/pkg-build"
cp "$target/pkg-build/eka_voice_bg.wasm" pkg/
# The server entry's module: its own cargo target dir (the same crate, other features).
module std,server "$target/server" "$target/pkg-build-server"
# The recorder entry's module (feature recorder, without std: no client). Compiled at
# opt-level 3 (then wasm-opt -Oz like the others): its DSP runs 1.4x faster than at "z"
# (230x real time for 48 kHz stereo, bench/dsp.mjs; the goal is 200x) and the module is
# 0.4 KB smaller gzipped (measured).
module recorder "$target/recorder" "$target/pkg-build-recorder" 3

# The entries: each one bundle of its glue, snippets and pkg-template/js (the inline and
# server ones embed their optimized wasm); .d.ts, package.json and the READMEs are copied.
node scripts/bundle.mjs "$target/pkg-build" pkg
node scripts/bundle.mjs "$target/pkg-build-server" pkg --server
node scripts/bundle.mjs "$target/pkg-build-recorder" pkg --recorder
cp pkg-template/index.d.ts pkg-template/inline.d.ts pkg-template/server.d.ts pkg-template/recorder.d.ts pkg-template/package.json pkg/
cp pkg-template/index.d.ts pkg/index.d.cts
sed "s#'./index.js'#'./index.cjs'#" pkg-template/server.d.ts > pkg/server.d.cts
# The simulator ships too (eka-voice/simulator, npx eka-voice-sim): Node only, not in any entry.
mkdir -p pkg/simulator
cp sim/*.mjs pkg-template/simulator/* pkg/simulator/
cp pkg-template/simulator/index.d.ts pkg/simulator/index.d.cts
cp pkg-template/README.md LICENSE CHANGELOG.md pkg/
# The version, and the repository once Cargo.toml names one, come from Cargo.toml.
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
repository=$(sed -n 's/^repository = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
node -e '
  const fs = require("fs"); const p = JSON.parse(fs.readFileSync("pkg/package.json", "utf8"));
  p.version = process.argv[1];
  if (process.argv[2]) p.repository = { type: "git", url: "git+" + process.argv[2].replace(/\.git$/, "") + ".git" };
  fs.writeFileSync("pkg/package.json", JSON.stringify(p, null, 2) + "\n");
' "$version" "$repository"
node scripts/size.mjs --quiet
