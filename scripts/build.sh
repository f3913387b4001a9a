#!/usr/bin/env bash
# Configures and builds wgtrack into build/ (RelWithDebInfo, Ninja, ccache when present).
# Extra arguments go to cmake's configure step, e.g. scripts/build.sh -DWGTRACK_BENCH=OFF
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja "$@" >/dev/null
cmake --build "$BUILD_DIR"
