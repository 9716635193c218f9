#!/usr/bin/env python3
"""Boot the kernel with a root server in QEMU and report the outcome.

Usage (from a build directory made by a preset, or an SDK folder):

    tools/run_qemu.py --build-dir build/x86_64-qemu-debug --rootserver my-root-task.elf
    tools/run_qemu.py --build-dir build/x86_64-qemu-debug --rootserver tests.elf --filter cnode_copy
    tools/run_qemu.py --build-dir build/x86_64-qemu-debug --rootserver my.elf --gdb   # waits for GDB

The root server may be any static ELF64 root task for the build's
architecture: one of ours, your own, or one built for seL4 (it gets
seL4's boot contract). `runner.json` in the build directory names QEMU,
its machine options and the kernel image. On AArch64 (`rootserver_via`
"image") the root server is packed with the loader and the kernel into a
temporary boot image by tools/imagegen, which refuses a bad root server
with a one-line message.

Outcomes: the kernel's debug halt (seL4_DebugHalt) ends QEMU with the
platform's "halt" status; a kernel panic with the "panic" status. A run
also ends when a line matches --until (default: the test framework's
`TESTS DONE`), or at --timeout. The exit status is 0 when the run ended
by halt or --until and, if test results were printed, none failed.

With --expect-panic REGEX the run must end in a kernel panic whose output
matches REGEX (used by the bad-boot-input tests).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

FILTER_MARKER = b"@@TESTFILTER@@"
FILTER_SIZE = 256
ANSI = re.compile(rb"\x1b(\[[0-9;?]*[A-Za-z]|c)")
RESULT = re.compile(r"^(PASS|FAIL) (\S+)")
SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed")
GRACE_SECONDS = 1.0


def load_config(build_dir):
    path = os.path.join(build_dir, "runner.json")
    try:
        with open(path) as f:
            return json.load(f)
    except OSError as e:
        sys.exit(f"run_qemu: cannot read {path}: {e.strerror} "
                 "(configure and build a preset first)")


def patch_filter(elf, name):
    """Copy `elf` and write the test filter into its marker array."""
    data = bytearray(open(elf, "rb").read())
    pos = data.find(FILTER_MARKER)
    if pos < 0:
        sys.exit(f"run_qemu: {elf} has no test-filter marker; --filter needs our test framework")
    text = name.encode()
    if len(text) >= FILTER_SIZE:
        sys.exit("run_qemu: filter too long")
    data[pos:pos + FILTER_SIZE] = text + bytes(FILTER_SIZE - len(text))
    fd, path = tempfile.mkstemp(suffix=".elf")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return path


def pack_image(cfg, rootserver, dtb):
    """AArch64: loader + kernel + root server (+ DTB) in one temporary boot
    image made by tools/imagegen. Returns its path; exits on bad input with
    the tool's message."""
    fd, path = tempfile.mkstemp(suffix="-image.elf")
    os.close(fd)
    cmd = [cfg["imagegen"], "--loader", cfg["loader"], "--kernel", cfg["kernel_image"],
           "--rootserver", rootserver, "-o", path]
    if dtb:
        cmd += ["--dtb", dtb]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if r.returncode != 0:
        os.unlink(path) if os.path.exists(path) else None
        sys.exit(f"run_qemu: cannot build the boot image:\n{r.stdout.decode().strip()}")
    return path


def qemu_command(cfg, rootserver, gdb, extra, image=None):
    qemu = shutil.which(cfg["qemu"])
    if qemu is None:
        sys.exit(f"run_qemu: {cfg['qemu']} not found; install it (Debian: "
                 f"{'qemu-system-x86' if 'x86' in cfg['qemu'] else 'qemu-system-arm'})")
    cmd = [qemu] + cfg["machine_args"] + [
        "-display", "none", "-serial", "stdio", "-monitor", "none", "-no-reboot",
        "-kernel", image or cfg["kernel_image"]]
    if rootserver is not None and cfg.get("rootserver_via") != "image":
        cmd += ["-initrd", rootserver]
    if gdb:
        cmd += ["-s", "-S"]
    return cmd + extra


def run(cmd, timeout, until, log):
    """Run QEMU, echo its console, stop at `until` (after a short grace
    period for QEMU to exit by itself) or at the timeout.
    Returns (reason, exit status, output lines)."""
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    lines, seen = [], []

    def reader():
        for raw in proc.stdout:
            line = ANSI.sub(b"", raw).decode("utf-8", "replace").rstrip("\r\n")
            line = line.replace("\r", "")
            lines.append(line)
            if log:
                print(line, flush=True)
            if until and not seen and until.search(line):
                seen.append(time.monotonic())

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    deadline = None if timeout is None else time.monotonic() + timeout
    while proc.poll() is None:
        now = time.monotonic()
        if seen and now - seen[0] > GRACE_SECONDS:
            proc.kill()
            proc.wait()
            t.join(5)
            return "until", None, lines
        if deadline is not None and now > deadline:
            proc.kill()
            proc.wait()
            t.join(2)
            return "timeout", None, lines
        time.sleep(0.02)
    t.join(5)
    return "exit", proc.returncode, lines


def outcome(cfg, reason, status):
    if reason == "until":
        return "done"
    if reason == "timeout":
        return "timeout"
    codes = cfg["exit_codes"]
    if status == codes["halt"]:
        return "halt"
    if status == codes["panic"]:
        return "panic"
    return f"qemu exit {status}"


def parse_results(lines):
    tests, summary = [], None
    for line in lines:
        m = RESULT.match(line)
        if m:
            tests.append({"name": m.group(2), "ok": m.group(1) == "PASS"})
        m = SUMMARY.match(line)
        if m:
            summary = (int(m.group(1)), int(m.group(2)))
    return tests, summary


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build-dir", required=True, help="build or SDK directory with runner.json")
    ap.add_argument("--rootserver", help="root-server ELF (default: none, kernel must refuse)")
    ap.add_argument("--filter", help="run only this test (our framework; 'prefix*' allowed)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds (default 120)")
    ap.add_argument("--until", default=r"^TESTS DONE$", help="stop when a line matches")
    ap.add_argument("--expect-panic", metavar="REGEX", help="expect a kernel panic matching REGEX")
    ap.add_argument("--suite", default=None, help="suite name for --results")
    ap.add_argument("--results", help="write a JSON result file")
    ap.add_argument("--gdb", action="store_true", help="start halted, GDB stub on tcp::1234")
    ap.add_argument("--dtb", help="AArch64: pack this DTB into the image (default: QEMU's own)")
    ap.add_argument("--quiet", action="store_true", help="do not echo the console")
    ap.add_argument("--dry-run", action="store_true", help="print the QEMU command only")
    ap.add_argument("qemu_args", nargs="*", help="extra QEMU arguments (after --)")
    args = ap.parse_args()

    cfg = load_config(args.build_dir)
    rootserver = args.rootserver
    tmp = None
    if rootserver and not os.path.exists(rootserver):
        sys.exit(f"run_qemu: {rootserver}: no such file")
    if args.filter:
        tmp = rootserver = patch_filter(rootserver, args.filter)
    image = None
    if cfg.get("rootserver_via") == "image":
        if rootserver is None:
            sys.exit("run_qemu: this platform boots one image that includes the root server: "
                     "give --rootserver")
        image = pack_image(cfg, rootserver, args.dtb)
    cmd = qemu_command(cfg, rootserver, args.gdb, args.qemu_args, image)
    if args.dry_run:
        print(" ".join(cmd))
        return 0
    if args.gdb:
        gdb = "gdb-multiarch" if cfg["arch"] == "aarch64" else "gdb"
        hint = " (use hbreak until the MMU is on; see tools/gdb.md)" if gdb != "gdb" else ""
        print(f"run_qemu: waiting for GDB: {gdb} {cfg['kernel_elf']} -ex 'target remote :1234'"
              f"{hint}", flush=True)
    timeout = None if args.gdb else args.timeout
    until = re.compile(args.until) if args.until and not args.expect_panic else None
    start = time.monotonic()
    reason, status, lines = run(cmd, timeout, until, not args.quiet)
    if tmp:
        os.unlink(tmp)
    if image:
        os.unlink(image)
    result = outcome(cfg, reason, status)
    elapsed = time.monotonic() - start

    suite = args.suite or os.path.basename(rootserver or "no-rootserver")
    if args.expect_panic:
        matched = any(re.search(args.expect_panic, l) for l in lines)
        ok = result == "panic" and matched
        print(f"run_qemu: {'PASS' if ok else 'FAIL'} {suite}: ended by {result}, "
              f"panic message {'found' if matched else 'NOT found'}")
        record = {"suite": suite, "passed": int(ok), "failed": int(not ok),
                  "tests": [{"name": suite, "ok": ok}], "status": result}
    else:
        tests, summary = parse_results(lines)
        passed = sum(t["ok"] for t in tests)
        failed = len(tests) - passed
        complete = result in ("halt", "done")
        if summary and summary != (passed, failed):
            print(f"run_qemu: summary line says {summary}, lines counted ({passed}, {failed})")
            failed += 1
        if tests and (summary is None or not complete):
            tests.append({"name": f"{suite}.complete", "ok": False})
            failed += 1
        ok = complete and failed == 0
        record = {"suite": suite, "passed": passed, "failed": failed, "tests": tests,
                  "status": result}
        print(f"run_qemu: {suite}: ended by {result} after {elapsed:.1f}s; "
              f"{passed} passed, {failed} failed")
    if args.results:
        with open(args.results, "w") as f:
            json.dump(record, f, indent=1)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
