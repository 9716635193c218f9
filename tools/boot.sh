#!/usr/bin/env bash
# Build a preset and boot it in QEMU with the example root server.
#   tools/boot.sh [preset]        (default: x86_64-qemu-debug)
# Exits 0 when the root server ran to completion.
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-x86_64-qemu-debug}"
if ! grep -q "\"name\": \"$preset\"" CMakePresets.json; then
    echo "boot: unknown preset '$preset'; available:" >&2
    grep -o '"name": "[a-z0-9_-]*-qemu-[a-z-]*"' CMakePresets.json | cut -d'"' -f4 | sort -u >&2
    exit 2
fi
tools/deps.sh
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
echo "boot: starting QEMU ($preset)"
exec python3 tools/run_qemu.py --build-dir "build/$preset" \
    --rootserver "build/$preset/test/hello.elf" --until '^Root server done\.$' --timeout 60
