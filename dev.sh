#!/usr/bin/env bash
# Systems Sandbox: one entry point for setting up, serving, building and testing.
#
#   ./dev.sh serve     install what is missing, then serve the app at http://127.0.0.1:8080
#   ./dev.sh test      install what is missing, then run every test (native + headless Chromium)
#   ./dev.sh setup     only install what is missing
#   ./dev.sh build [public-url]   release build into dist/ (default public url: ./ , works under any path):
#                      the app, a static page per lesson (lessons/<slug>.html), .gz and .br beside each file
#   ./dev.sh bench     engine and checker benchmarks, wasm size report
#
# Installs only what is missing, at the pinned versions, so a second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")"

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/systems-sandbox"
export PATH="$HOME/.cargo/bin:$CACHE/binaryen-$BINARYEN_VERSION/node_modules/.bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'dev.sh: %s\n' "$*" >&2; exit 1; }

# The wasm-bindgen version the crate is pinned to (Cargo.toml uses "=x.y.z"; Cargo.lock records it).
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

need_root() { # $1: what needs installing
  [ "$(id -u)" = 0 ] || die "installing $1 needs root (apt-get); run as root, or install it yourself: apt-get install -y $1"
}

setup_rust() {
  command -v cargo >/dev/null || die "cargo is missing: install Rust stable with rustup first"
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  [ -f Cargo.lock ] || cargo generate-lockfile
  local wbg; wbg=$(wasm_bindgen_version)
  [ -n "$wbg" ] || die "could not read the wasm-bindgen version from Cargo.lock"
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION (about 12 minutes, once per machine)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wbg" ] \
     || ! command -v wasm-bindgen-test-runner >/dev/null; then
    say "installing wasm-bindgen-cli $wbg (about 7 minutes, once per machine)"
    # Not --locked: its lock file names a crate version the registry does not serve.
    cargo install wasm-bindgen-cli --version "$wbg" --force
  fi
}

setup_wasm_opt() {
  if ! wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
    command -v npm >/dev/null || die "npm is missing: apt-get install -y npm"
    say "installing wasm-opt (binaryen $BINARYEN_VERSION from npm)"
    mkdir -p "$CACHE/binaryen-$BINARYEN_VERSION"
    npm install --prefix "$CACHE/binaryen-$BINARYEN_VERSION" --no-audit --no-fund "binaryen@$BINARYEN_VERSION" >/dev/null
  fi
}

setup_browser() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    need_root "chromium chromium-driver"
    say "installing Chromium and ChromeDriver (Debian packages)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  if [ ! -d tests/e2e/node_modules/playwright-core ] || [ tests/e2e/package-lock.json -nt tests/e2e/node_modules/.stamp ]; then
    say "installing the end-to-end test driver (playwright-core, no browser download)"
    (cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >/dev/null && touch node_modules/.stamp)
  fi
}

setup() { setup_rust; setup_wasm_opt; }

build() { # $1: public url
  say "building the site (release) into dist/ with public url ${1:-./}"
  trunk build --release --offline --public-url "${1:-./}" >&2
  node scripts/precompress.mjs dist
}

test_all() {
  setup; setup_browser
  say "native tests"
  cargo test --locked
  say "wasm tests in headless Chromium"
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner CHROMEDRIVER=/usr/bin/chromedriver \
    WASM_BINDGEN_TEST_TIMEOUT=120 \
    cargo test --locked --target wasm32-unknown-unknown --test browser
  build ./
  say "end-to-end tests: the built site in headless Chromium"
  node --test --test-concurrency=1 tests/e2e/
}

case "${1:-}" in
  serve) setup; say "serving on http://127.0.0.1:8080 (Ctrl-C to stop)"; exec trunk serve --offline ;;
  test) test_all ;;
  setup) setup; setup_browser ;;
  build) setup; build "${2:-./}" ;;
  bench) setup; exec bash scripts/bench.sh ;;
  *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
