#!/usr/bin/env bash
# Run every test: the host tests of the generators, the formatting check,
# the GCC build, and for each QEMU preset the root-task suite and the
# bad-boot-input cases. Ends with the line "N passed, N failed".
#   tools/test.sh [preset...]     (default: all test presets)
set -uo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh || exit 1

presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(x86_64-qemu-debug x86_64-qemu-release
    aarch64-qemu-debug aarch64-qemu-release)
summary_dir="build/test-summary"
rm -rf "$summary_dir"
mkdir -p "$summary_dir"
status=0

record() { # name ok(0/1)
    python3 - "$summary_dir/$1.json" "$1" "$2" <<'PY'
import json, sys
path, name, ok = sys.argv[1], sys.argv[2], sys.argv[3] == "0"
json.dump({"suite": name, "passed": int(ok), "failed": int(not ok),
           "tests": [{"name": name, "ok": ok}]}, open(path, "w"))
PY
}

echo "== formatting (clang-format)"
files=$(git ls-files '*.c' '*.h' | grep -v '^tools/.*/tests/' || true)
if clang-format --dry-run --Werror $files >"$summary_dir/format.log" 2>&1; then
    record style.clang-format 0
else
    head -20 "$summary_dir/format.log"; record style.clang-format 1; status=1
fi

for arch in x86_64 aarch64; do
    echo "== GCC build ($arch-qemu-debug-gcc)"
    if cmake --preset $arch-qemu-debug-gcc >/dev/null && \
       cmake --build --preset $arch-qemu-debug-gcc >"$summary_dir/gcc-$arch.log" 2>&1; then
        record build.gcc.$arch 0
    else
        tail -30 "$summary_dir/gcc-$arch.log"; record build.gcc.$arch 1; status=1
    fi
done

for preset in "${presets[@]}"; do
    echo "== $preset"
    results="build/$preset/test-results"
    rm -rf "$results"
    if ! cmake --preset "$preset" >/dev/null || ! cmake --build --preset "$preset"; then
        record "build.$preset" 1; status=1; continue
    fi
    mkdir -p "$results"
    timeout 1200 ctest --preset "$preset" || status=1
    for f in "$results"/*.json; do
        [ -e "$f" ] && cp "$f" "$summary_dir/$preset.$(basename "$f")"
    done
    # A ctest entry that wrote no result file counts as one failure.
    for t in $(ctest --preset "$preset" -N | sed -n 's/^ *Test *#[0-9]*: //p'); do
        [ -e "$results/$t.json" ] || { record "$preset.$t.missing" 1; status=1; }
    done
done

python3 - "$summary_dir" <<'PY'
import glob, json, os, sys
passed = failed = 0
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
    r = json.load(open(path))
    passed += r["passed"]; failed += r["failed"]
    name = os.path.basename(path)[:-5]
    print(f"  {name}: {r['passed']} passed, {r['failed']} failed")
    for t in r.get("tests", []):
        if not t["ok"]:
            print(f"    FAIL {t['name']}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
[ $? -eq 0 ] || status=1
exit $status
