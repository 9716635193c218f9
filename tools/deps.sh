#!/usr/bin/env bash
# Install the Debian packages the build and tests need, if any are missing.
# Sourced by tools/boot.sh and tools/test.sh; safe to run on its own.
# Uses apt-get as root, or through sudo; otherwise says what to install.
set -euo pipefail

# command -> Debian package
declare -A NEED=(
    [cmake]=cmake
    [ninja]=ninja-build
    [clang]=clang
    [ld.lld]=lld
    [gcc]=gcc
    [cc]=gcc
    [objcopy]=binutils
    [python3]=python3
    [qemu-system-x86_64]=qemu-system-x86
    [qemu-system-aarch64]=qemu-system-arm
    [aarch64-linux-gnu-gcc]=gcc-aarch64-linux-gnu
    [aarch64-linux-gnu-objcopy]=binutils-aarch64-linux-gnu
    [clang-format]=clang-format
)

missing=()
for cmd in "${!NEED[@]}"; do
    command -v "$cmd" >/dev/null 2>&1 || missing+=("${NEED[$cmd]}")
done
# libelf (used by the boot-image tool, tools/imagegen) has no command to
# look for: its header and library come with libelf-dev.
if ! [ -e /usr/include/libelf.h ] || ! [ -e /usr/include/gelf.h ]; then
    missing+=(libelf-dev)
fi
# Optional: gdb-multiarch debugs the AArch64 kernel (tools/gdb.md); not
# needed by the tests, so not installed here.
[ ${#missing[@]} -eq 0 ] && exit 0

mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "deps: installing missing packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "deps: not root and no sudo; please install: apt-get install ${missing[*]}" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "deps: no apt-get here (not Debian?); please install: ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
