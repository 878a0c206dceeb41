#!/usr/bin/env bash
# Installs what the build and the tests need, idempotently (quick when all is there):
#   - the wasm32-unknown-unknown Rust target;
#   - wasm-bindgen-cli at EXACTLY the version Cargo.toml pins for wasm-bindgen;
#   - the npm devDependencies (binaryen's wasm-opt, typescript, Prism for the OpenAPI check);
#   - with --browser: Debian's chromium and chromium-driver (headless browser tests);
#   - with --redis: Debian's redis-server (the multi-instance webhook recipe's test starts
#     one on 127.0.0.1);
#   - with --consumers: the pinned tools of the consumer matrix (tests/consumers: Vite 5, 6
#     and 8, webpack, Rollup, esbuild, Parcel, Vitest, Jest, publint, attw; ~340 MB).
set -euo pipefail
cd "$(dirname "$0")/.."
browser=false consumers=false redis=false
for arg in "$@"; do
  case "$arg" in
    --browser) browser=true ;;
    --redis) redis=true ;;
    --consumers) consumers=true ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

want=$(sed -n 's/^wasm-bindgen = .*"=\([0-9.]*\)".*/\1/p' Cargo.toml)
[ -n "$want" ] || { echo "could not read the pinned wasm-bindgen version from Cargo.toml" >&2; exit 1; }
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (found: ${have:-none}; takes a few minutes once)"
  # Not --locked: one of its locked dependencies is missing from this registry.
  cargo install wasm-bindgen-cli --version "$want" --force
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -x node_modules/.bin/tsc ] || [ ! -x node_modules/.bin/prism ] || [ ! -x node_modules/.bin/esbuild ] || [ package.json -nt node_modules/.package-lock.json ]; then
  say "installing npm devDependencies"
  # (SCARF_ANALYTICS: Prism's dependency @scarf/scarf reports installs unless told not to.)
  if [ -f package-lock.json ]; then SCARF_ANALYTICS=false npm ci --no-audit --no-fund; else SCARF_ANALYTICS=false npm install --no-audit --no-fund; fi
fi

if $consumers && { [ ! -f tests/consumers/node_modules/.package-lock.json ] || [ tests/consumers/package-lock.json -nt tests/consumers/node_modules/.package-lock.json ]; }; then
  say "installing the consumer matrix's tools (tests/consumers)"
  (cd tests/consumers && npm ci --no-audit --no-fund)
fi

# Debian packages: installed together, when one is missing.
debs=()
if $browser && { ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; }; then
  debs+=(chromium chromium-driver)
fi
if $redis && ! command -v redis-server >/dev/null; then debs+=(redis-server); fi
if [ ${#debs[@]} -gt 0 ]; then
  say "installing Debian's ${debs[*]}"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${debs[@]}" >/dev/null
fi
