#!/usr/bin/env bash
# One entry point for building, serving and testing superboard. Each command installs what a
# fresh machine lacks first (wasm32 target, the pinned wasm-bindgen-cli, Chromium, npm packages).
#   ./build.sh serve   build the page (dist/) and serve it on http://127.0.0.1:8000
#   ./build.sh test    every test the project has: lint, native, wasm (node + Chromium), end to end
#   ./build.sh wasm    build the page's wasm into www/pkg only
#   ./build.sh dist    build the page into dist/: only what a static host needs
#   ./build.sh e2e     build the page and run only the end-to-end browser tests (against dist/)
#   ./build.sh lint    rustfmt and clippy (native and wasm32, and the Python module's crate)
#   ./build.sh python  build the Python module into a virtualenv and run its pytest suite
set -euo pipefail
cd "$(dirname "$0")"

# Must equal the wasm-bindgen crate version pinned in Cargo.toml (see docs/toolchain.md).
WASM_BINDGEN_VERSION=0.2.130
PORT="${PORT:-8000}"
E2E_DIR=tests/e2e
# The Python module's virtualenv (maturin, pytest, the module), under the git-ignored target/.
PY_VENV=target/python-venv

log() { printf '\n== %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }

ensure_rust_components() {
    rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
    rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
    rustup target list --installed | grep -q '^wasm32-unknown-unknown$' || rustup target add wasm32-unknown-unknown
}

ensure_wasm_bindgen() {
    if have wasm-bindgen && [ "$(wasm-bindgen --version | cut -d' ' -f2)" = "$WASM_BINDGEN_VERSION" ]; then
        return
    fi
    log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
    # No --locked: the registry mirror lacks a version the shipped lock file names
    # (docs/toolchain.md).
    cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION"
}

ensure_chromium() {
    if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then return; fi
    if [ "$(id -u)" = 0 ] && have apt-get; then
        log "installing Debian's chromium and chromium-driver"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver
    else
        echo "build.sh: Chromium is missing and cannot be installed here (need root and apt-get)" >&2
        return 1
    fi
}

ensure_e2e_packages() {
    if [ -d "$E2E_DIR/node_modules/playwright-core" ] && [ -d "$E2E_DIR/node_modules/binaryen" ]; then return; fi
    log "installing the e2e npm packages"
    (cd "$E2E_DIR" && npm ci --no-audit --no-fund)
}

build_wasm() {
    ensure_rust_components
    ensure_wasm_bindgen
    log "wasm build"
    cargo build --release --lib --target wasm32-unknown-unknown
    wasm-bindgen --target web --no-typescript --out-dir www/pkg \
        target/wasm32-unknown-unknown/release/superboard.wasm
    local opt="$E2E_DIR/node_modules/.bin/wasm-opt"
    if [ -x "$opt" ]; then
        "$opt" -O3 www/pkg/superboard_bg.wasm -o www/pkg/superboard_bg.wasm
    fi
    printf 'wasm: %s bytes, %s bytes gzipped\n' \
        "$(stat -c %s www/pkg/superboard_bg.wasm)" "$(gzip -9c www/pkg/superboard_bg.wasm | wc -c)"
}

# dist/: exactly what the page needs on any static host (HTML, JS, CSS, wasm, the examples, the
# Programs shelf's listings) and nothing else — no sources, no .git, no Cargo.toml. The layout
# is the repository's, so relative paths (www/superboard-ii.js, ../../index.html in the
# examples) work the same in both.
build_dist() {
    log "dist/"
    rm -rf dist
    mkdir -p dist/www/pkg dist/www/panels dist/www/examples dist/www/programs
    cp index.html dist/
    cp www/*.js www/*.css dist/www/
    cp www/panels/*.js dist/www/panels/
    cp www/examples/*.html dist/www/examples/
    cp www/programs/*.bas dist/www/programs/
    cp www/pkg/superboard.js www/pkg/superboard_bg.wasm dist/www/pkg/
    printf 'dist: %s files, %s bytes\n' "$(find dist -type f | wc -l)" "$(du -sb dist | cut -f1)"
}

cmd_lint() {
    log "rustfmt"
    cargo fmt --all -- --check
    cargo fmt --manifest-path python/Cargo.toml -- --check
    log "clippy (native)"
    cargo clippy --workspace --all-targets -- -D warnings
    log "clippy (wasm32)"
    cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings
    log "clippy (Python module)"
    # Shares target/ with the main workspace, so the core is not compiled twice.
    CARGO_TARGET_DIR="$PWD/target" cargo clippy --manifest-path python/Cargo.toml -- -D warnings
}

# A virtualenv with maturin and pytest (from PyPI, once) for the Python module.
ensure_python_venv() {
    if [ ! -x "$PY_VENV/bin/python" ]; then
        log "creating the Python virtualenv $PY_VENV"
        python3 -m venv "$PY_VENV"
    fi
    if ! "$PY_VENV/bin/python" -c 'import maturin, pytest' 2>/dev/null; then
        log "installing maturin and pytest into $PY_VENV"
        "$PY_VENV/bin/python" -m pip install --quiet --disable-pip-version-check 'maturin>=1.5,<2' 'pytest>=7'
    fi
}

# Build the module with maturin into the virtualenv (as `pip install ./python` would) and run
# its pytest suite.
cmd_python() {
    ensure_python_venv
    log "Python module: maturin develop + pytest"
    VIRTUAL_ENV="$PWD/$PY_VENV" PATH="$PWD/$PY_VENV/bin:$PATH" CARGO_TARGET_DIR="$PWD/target" \
        maturin develop --quiet --release --manifest-path python/Cargo.toml
    "$PY_VENV/bin/python" -m pytest -q -p no:cacheprovider python/tests
}

cmd_test() {
    ensure_rust_components
    cmd_lint
    log "cargo test (native)"
    cargo test --workspace
    cmd_python
    log "wasm tests of the bindings (node)"
    ensure_wasm_bindgen
    # Only the web test files: the other integration tests read files through std::fs.
    cargo test --target wasm32-unknown-unknown --test web
    log "wasm tests of the bindings (headless Chromium)"
    ensure_chromium
    CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test web_browser
    ensure_e2e_packages
    build_wasm
    build_dist
    run_e2e
}

# Serve dist/ with `superboard serve` on a free port for the end-to-end tests (the tests run
# against what gets deployed); the trap stops the server however the tests end.
run_e2e() {
    log "end-to-end tests (Playwright + headless Chromium)"
    cargo build --quiet --bin superboard
    # Globals, not locals: the EXIT trap may run after this function's frame is gone.
    E2E_SERVER_LOG="$(mktemp)"
    target/debug/superboard serve --port 0 --dir dist >"$E2E_SERVER_LOG" &
    E2E_SERVER_PID=$!
    trap 'kill "$E2E_SERVER_PID" 2>/dev/null || true; rm -f "$E2E_SERVER_LOG"' EXIT
    local url=""
    for _ in $(seq 100); do
        url="$(grep -o 'http://127.0.0.1:[0-9]*/' "$E2E_SERVER_LOG" || true)"
        [ -n "$url" ] && break
        sleep 0.05
    done
    [ -n "$url" ] || { echo "build.sh: the static server did not start" >&2; return 1; }
    (cd "$E2E_DIR" && SUPERBOARD_URL="$url" node --test --test-concurrency=1 ./*.test.mjs)
    kill "$E2E_SERVER_PID" 2>/dev/null || true
    trap - EXIT
    rm -f "$E2E_SERVER_LOG"
}

cmd_serve() {
    ensure_e2e_packages || echo "build.sh: npm packages unavailable; serving without wasm-opt" >&2
    build_wasm
    build_dist
    log "serving dist/ (Ctrl-C to stop)"
    cargo build --quiet --bin superboard
    exec target/debug/superboard serve --port "$PORT" --dir dist
}

case "${1:-}" in
    test) cmd_test ;;
    serve) cmd_serve ;;
    wasm) ensure_e2e_packages || true; build_wasm ;;
    dist) ensure_e2e_packages || true; build_wasm; build_dist ;;
    e2e) ensure_chromium; ensure_e2e_packages; build_wasm; build_dist; run_e2e ;;
    lint) ensure_rust_components; cmd_lint ;;
    python) cmd_python ;;
    *) echo "usage: $0 test|serve|wasm|dist|e2e|lint|python" >&2; exit 2 ;;
esac
