# Sourced by scripts/build.sh and scripts/size-ledger.sh: how ONE wasm module of the crate is
# built for the package — cargo (release: opt-level z unless told, LTO, panic=abort), the
# wasm-bindgen web glue, short import names (scripts/shrink-imports.mjs), wasm-opt -Oz (npm
# binaryen). Run from the crate's root; `say` is the caller's.

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

