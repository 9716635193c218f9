#!/usr/bin/env python3
"""Bad boot input: each case boots the kernel with a broken root server
(or none) and expects a one-line kernel panic that names the problem.

    boot_failures.py --build-dir build/x86_64-qemu-debug [--results out.json]

On AArch64 the root server travels inside the boot image, so the image
tool (tools/imagegen) is what refuses a bad root server: each image case
runs the tool on the host and expects a non-zero exit and a one-line
message naming the problem. Two cases still boot QEMU: a root server too
big for RAM (refused by the loader) and a loader without a payload.

The broken ELF files are written here, at test time, by make_elf().
"""

import argparse
import json
import os
import re
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(HERE, "..", "..", "tools", "run_qemu.py")

EM = {"x86_64": 62, "aarch64": 183}
# An endless loop: x86 `jmp .` / AArch64 `b .`.
LOOP = {"x86_64": b"\xeb\xfe", "aarch64": b"\x00\x00\x00\x14"}


def make_elf(machine, segments, entry=None, elf_class=2):
    """A minimal static ELF64 executable. `segments` is a list of
    (vaddr, data, memsz); file offsets are assigned in order."""
    ehsize, phentsize = 64, 56
    offset = ehsize + phentsize * len(segments)
    offset = (offset + 15) & ~15
    phdrs, blobs = b"", b""
    for vaddr, data, memsz in segments:
        phdrs += struct.pack("<IIQQQQQQ", 1, 7, offset + len(blobs), vaddr, vaddr,
                             len(data), memsz, 0x1000)
        blobs += data
    if entry is None:
        entry = segments[0][0]
    ident = b"\x7fELF" + bytes([elf_class, 1, 1, 0]) + bytes(8)
    header = ident + struct.pack("<HHIQQQIHHHHHH", 2, machine, 1, entry, ehsize, 0, 0,
                                 ehsize, phentsize, len(segments), 64, 0, 0)
    body = header + phdrs
    body += bytes(((len(body) + 15) & ~15) - len(body))
    return body + blobs


def cases(arch):
    m = EM[arch]
    loop = LOOP[arch]
    other = EM["aarch64" if arch == "x86_64" else "x86_64"]
    good = (0x400000, loop, 0x1000)
    return [
        ("no_module", None, r"no root server module"),
        ("not_elf", b"this is not an executable\n" * 40, r"not a usable ELF64 .*: not an ELF file"),
        ("elf32", make_elf(m, [good], elf_class=1),
         r"not a usable ELF64 .*: not a little-endian ELF64 file"),
        ("wrong_arch", make_elf(other, [good]),
         r"not a usable ELF64 .*: built for another architecture"),
        ("kernel_overlap", make_elf(m, [good, (0xffffffff80100000, loop, 0x1000)]),
         r"segment overlaps the kernel .*0xffffffff80100000"),
        ("data_outside_file", _truncated(make_elf(m, [(0x400000, loop * 512, 0x1000)])),
         r"segment data lies outside the file"),
        ("entry_outside", make_elf(m, [good], entry=0x900000), r"entry point outside the image"),
        ("segments_overlap", make_elf(m, [good, (0x400800, loop, 0x1000)]),
         r"segments overlap each other"),
        ("too_big", make_elf(m, [(0x400000, loop, 0x100000000)]),
         r"not enough memory for the root server"),
    ]


def _truncated(elf):
    return elf[:len(elf) - 100]


def image_cases():
    """AArch64: root servers the image tool must refuse (name, blob, regex)."""
    m, loop = EM["aarch64"], LOOP["aarch64"]
    good = (0x400000, loop, 0x1000)
    return [
        ("not_elf", b"this is not an executable\n" * 40, r"the root server is not an ELF file"),
        ("elf32", make_elf(m, [good], elf_class=1), r"not a 64-bit ELF file"),
        ("wrong_arch", make_elf(EM["x86_64"], [good]), r"built for x86-64 .*not AArch64"),
        ("segments_overlap", make_elf(m, [good, (0x400800, loop, 0x1000)]),
         r"overlapping segments: \[0x400000, 0x401000\) and \[0x400800, 0x401800\)"),
        ("data_outside_file", _truncated(make_elf(m, [(0x400000, loop * 512, 0x1000)])),
         r"segment data outside the file"),
        ("entry_outside", make_elf(m, [good], entry=0x900000), r"entry point 0x900000 lies outside"),
        ("kernel_overlap", make_elf(m, [good, (0xffffff8040100000, loop, 0x1000)]),
         r"above the user address space"),
        ("no_segment", _no_load(m), r"has no loadable segment"),
    ]


def _no_load(machine):
    """An ELF64 executable whose only program header is PT_NOTE."""
    elf = bytearray(make_elf(machine, [(0x400000, LOOP["aarch64"], 0x1000)]))
    elf[64:68] = (4).to_bytes(4, "little")
    return bytes(elf)


def run_image_cases(build_dir, tmp):
    cfg = json.load(open(os.path.join(build_dir, "runner.json")))
    tests = []
    for name, blob, pattern in image_cases():
        path = os.path.join(tmp, name + ".elf")
        with open(path, "wb") as f:
            f.write(blob)
        out = os.path.join(tmp, name + "-image.elf")
        r = subprocess.run([cfg["imagegen"], "--loader", cfg["loader"], "--kernel",
                            cfg["kernel_image"], "--rootserver", path, "-o", out],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        text = r.stdout.decode("utf-8", "replace").strip()
        ok = (r.returncode == 1 and re.search(pattern, text) is not None
              and text.count("\n") == 0 and not os.path.exists(out))
        if not ok:
            print(f"  imagegen exit {r.returncode}, said: {text!r}; expected /{pattern}/")
        print(f"{'PASS' if ok else 'FAIL'} image.{name}", flush=True)
        tests.append({"name": f"image.{name}", "ok": ok})
    return tests


def qemu_image_cases():
    """AArch64 cases that boot: (name, root-server blob or None for a bare
    loader, regex of the panic)."""
    m, loop = EM["aarch64"], LOOP["aarch64"]
    return [
        ("too_big", make_elf(m, [(0x400000, loop, 0x100000000)]),
         r"not enough memory for the root server"),
        ("no_payload", None, r"no image payload"),
    ]


def run_bare_loader(build_dir, pattern, timeout):
    """Boot the loader ELF on its own: it must stop with the panic status
    and a message matching `pattern`."""
    cfg = json.load(open(os.path.join(build_dir, "runner.json")))
    cmd = [cfg["qemu"]] + cfg["machine_args"] + [
        "-display", "none", "-serial", "stdio", "-monitor", "none", "-no-reboot",
        "-kernel", cfg["loader"]]
    try:
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout)
    except subprocess.TimeoutExpired:
        return False
    text = r.stdout.decode("utf-8", "replace")
    return r.returncode == cfg["exit_codes"]["panic"] and re.search(pattern, text) is not None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--arch", default="x86_64")
    ap.add_argument("--results")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--only", choices=["image", "boot"],
                    help="AArch64: only the image-tool cases (host) or only the QEMU cases")
    args = ap.parse_args()

    tests = []
    with tempfile.TemporaryDirectory() as tmp:
        if args.arch == "aarch64" and args.only != "boot":
            tests += run_image_cases(args.build_dir, tmp)
        boots = qemu_image_cases() if args.arch == "aarch64" else cases(args.arch)
        for name, blob, pattern in ([] if args.only == "image" else boots):
            if blob is None and args.arch == "aarch64":
                ok = run_bare_loader(args.build_dir, pattern, args.timeout)
                print(f"{'PASS' if ok else 'FAIL'} boot_failure.{name}", flush=True)
                tests.append({"name": f"boot_failure.{name}", "ok": ok})
                continue
            cmd = [sys.executable, RUNNER, "--build-dir", args.build_dir, "--quiet",
                   "--timeout", str(args.timeout), "--suite", f"boot_failure.{name}",
                   "--expect-panic", pattern]
            if blob is not None:
                path = os.path.join(tmp, name + ".elf")
                with open(path, "wb") as f:
                    f.write(blob)
                cmd += ["--rootserver", path]
            ok = subprocess.run(cmd).returncode == 0
            print(f"{'PASS' if ok else 'FAIL'} boot_failure.{name}", flush=True)
            tests.append({"name": f"boot_failure.{name}", "ok": ok})
    passed = sum(t["ok"] for t in tests)
    failed = len(tests) - passed
    print(f"{passed} passed, {failed} failed")
    if args.results:
        with open(args.results, "w") as f:
            json.dump({"suite": "imagegen" if args.only == "image" else "boot_failures",
                       "passed": passed, "failed": failed,
                       "tests": tests}, f, indent=1)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
