#!/usr/bin/env bash
# Builds the npm package into pkg/: release wasm (opt-level z, LTO, panic=abort), the
# wasm-bindgen web glue, short import names (scripts/shrink-imports.mjs), wasm-opt -Oz
# (npm binaryen), the glue minified (npm esbuild), plus pkg-template/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

say() { printf '\033[1;34m[build]\033[0m %s\n' "$*"; }
say "cargo build --release --target wasm32-unknown-unknown"
cargo build --quiet --release --lib --target wasm32-unknown-unknown

out=target/pkg-build
rm -rf "$out" pkg
mkdir -p "$out" pkg
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name eka_voice \
  target/wasm32-unknown-unknown/release/eka_voice.wasm
say "short import names, wasm-opt -Oz, minified glue"
node scripts/shrink-imports.mjs "$out" > /dev/null
node_modules/.bin/wasm-opt -Oz --converge --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$out/eka_voice_bg.wasm" -o pkg/eka_voice_bg.wasm
node_modules/.bin/esbuild "$out/eka_voice.js" --minify --format=esm --log-level=warning \
  --outfile=pkg/eka_voice.js
if [ -d "$out/snippets" ]; then cp -r "$out/snippets" pkg/; fi
cp pkg-template/* pkg/
cp README.md pkg/README.md
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
node -e '
  const fs = require("fs"); const p = JSON.parse(fs.readFileSync("pkg/package.json", "utf8"));
  p.version = process.argv[1]; fs.writeFileSync("pkg/package.json", JSON.stringify(p, null, 2) + "\n");
' "$version"
node scripts/size.mjs --quiet
