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
# module <features> <cargo target dir> <out dir> [opt-level]: scripts/wasm-module.sh.
source scripts/wasm-module.sh

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
