#!/usr/bin/env python3
"""The SDK folder of a build works for root tasks outside our tree:
examples/external is built (1) with find_package(sel4) and (2) with a
plain compiler command line using -I <sdk>/include, and each image boots
in QEMU and prints "EXTERNAL OK".

    test_sdk.py --build-dir build/x86_64-qemu-debug --source-dir . [--results F.json]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile


def run(cmd, **kw):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)
    if r.returncode != 0:
        print(f"$ {' '.join(cmd)}\n{r.stdout}")
    return r.returncode == 0


def check_log(sdk, elf):
    cmd = [sys.executable, os.path.join(sdk, "bin", "run_qemu.py"), "--build-dir", sdk,
           "--rootserver", elf, "--until", "^EXTERNAL", "--timeout", "60"]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if "EXTERNAL OK" not in r.stdout:
        print(r.stdout[-2000:])
        return False
    return True


def with_find_package(src, sdk, arch, tmp):
    build = os.path.join(tmp, "fp")
    ok = run(["cmake", "-S", os.path.join(src, "examples", "external"), "-B", build, "-G",
              "Ninja", f"-DCMAKE_TOOLCHAIN_FILE={os.path.join(src, 'configs', 'toolchains', 'clang.cmake')}",
              f"-DKernelArch={arch}", f"-DCMAKE_PREFIX_PATH={sdk}"])
    ok = ok and run(["cmake", "--build", build])
    return ok and check_log(sdk, os.path.join(build, "external.elf"))


def with_plain_include(src, sdk, arch, tmp):
    res = subprocess.run(["clang", "-print-resource-dir"], stdout=subprocess.PIPE,
                         text=True).stdout.strip()
    obj = os.path.join(tmp, "main.o")
    elf = os.path.join(tmp, "plain.elf")
    target = f"--target={arch}-unknown-none-elf"
    ok = run(["clang", target, "-ffreestanding", "-nostdinc", "-isystem", f"{res}/include",
              "-I", f"{sdk}/include", "-I", f"{sdk}/include/libc", "-fno-pic", "-fno-pie",
              "-fno-stack-protector", "-O2", "-Wall", "-Wextra", "-Werror", "-c",
              os.path.join(src, "examples", "external", "main.c"), "-o", obj])
    ok = ok and run(["clang", target, "-fuse-ld=lld", "-nostdlib", "-static",
                     f"-Wl,-T,{sdk}/lib/roottask.ld", "-Wl,-z,max-page-size=4096", obj,
                     f"{sdk}/lib/libroottask_runtime.a", f"{sdk}/lib/libsel4.a", "-o", elf])
    return ok and check_log(sdk, elf)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--source-dir", required=True)
    ap.add_argument("--arch", default="x86_64")
    ap.add_argument("--results")
    args = ap.parse_args()
    sdk = os.path.join(os.path.abspath(args.build_dir), "sdk")
    src = os.path.abspath(args.source_dir)
    tests = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, fn in (("sdk.find_package", with_find_package),
                         ("sdk.plain_include", with_plain_include)):
            ok = fn(src, sdk, args.arch, tmp)
            print(f"{'PASS' if ok else 'FAIL'} {name}", flush=True)
            tests.append({"name": name, "ok": ok})
    passed = sum(t["ok"] for t in tests)
    print(f"{passed} passed, {len(tests) - passed} failed")
    if args.results:
        with open(args.results, "w") as f:
            json.dump({"suite": "sdk", "passed": passed, "failed": len(tests) - passed,
                       "tests": tests}, f, indent=1)
    return 0 if passed == len(tests) else 1


if __name__ == "__main__":
    sys.exit(main())
