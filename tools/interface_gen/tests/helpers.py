"""Shared helpers for the interface_gen host tests."""

import os
import re
import shutil
import subprocess
import sys
import tempfile

TESTS_DIR = os.path.dirname(os.path.abspath(__file__))
TOOL_DIR = os.path.dirname(TESTS_DIR)
REPO = os.path.dirname(os.path.dirname(TOOL_DIR))
XML_DIR = os.path.join(REPO, "libsel4", "interfaces")
GENERATOR = os.path.join(TOOL_DIR, "interface_gen.py")
SHIM_DIR = os.path.join(TESTS_DIR, "shim")
CONFIG_DIR = os.path.join(TESTS_DIR, "configs")
ARCHES = ("x86_64", "aarch64")

sys.path.insert(0, TOOL_DIR)
import interface_gen  # noqa: E402


def target_config(arch):
    """The ABI sheet's target configuration for arch, as a dict."""
    return interface_gen.read_config(os.path.join(CONFIG_DIR, "%s.h" % arch))


def load(arch, config=None, xml_dir=XML_DIR):
    return interface_gen.load_model(xml_dir, arch,
                                    target_config(arch) if config is None else config)


def all_on_config(arch, exclude=()):
    """Every condition variable defined (except exclude): exercises every method."""
    base = load(arch)
    cfg = dict(target_config(arch))
    for v in base.cond_vars:
        if v not in exclude:
            cfg[v] = "1"
    return cfg


class TempDir:
    def __enter__(self):
        self.path = tempfile.mkdtemp(prefix="interface_gen_test_")
        return self.path

    def __exit__(self, *exc):
        shutil.rmtree(self.path, ignore_errors=True)


def write_config(path, config):
    with open(path, "w") as f:
        for k in sorted(config):
            f.write("#define %s %s\n" % (k, config[k] or "1"))
    return path


def generate(arch, outdir, config=None, xml_dir=XML_DIR, manual=False):
    """Run the generator CLI; returns (returncode, stderr, lib_dir, kern_dir)."""
    cfg_path = os.path.join(outdir, "config_%s.h" % arch)
    write_config(cfg_path, target_config(arch) if config is None else config)
    lib = os.path.join(outdir, "lib")
    kern = os.path.join(outdir, "kern")
    cmd = [sys.executable, GENERATOR, "--arch", arch, "--xml-dir", xml_dir,
           "--config", cfg_path, "--libsel4-out", lib, "--kernel-out", kern]
    if manual:
        cmd += ["--manual-out", os.path.join(outdir, "manual")]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    return proc.returncode, proc.stderr, lib, kern


def read(path):
    with open(path) as f:
        return f.read()


ENUM_LINE = re.compile(r"^\s*(\w+)\s*=\s*([-\w]+)\s*,?\s*$")
DEFINE_LINE = re.compile(r"^#define\s+(\w+)\s+\(?(-?(?:0x[0-9a-fA-F]+|\d+))\)?\s*$")


def parse_enum_values(text):
    """{name: int} from 'NAME = value,' enum lines and '#define NAME value'
    lines; values may refer to earlier names."""
    values = {}
    for line in text.splitlines():
        m = ENUM_LINE.match(line)
        if m:
            name, val = m.groups()
            values[name] = values[val] if val in values else int(val, 0)
            continue
        m = DEFINE_LINE.match(line)
        if m:
            values[m.group(1)] = int(m.group(2), 0)
    return values


def cc():
    return os.environ.get("CC", "cc")


def compile_c(args, cwd=None):
    proc = subprocess.run([cc()] + args, capture_output=True, text=True, cwd=cwd)
    return proc.returncode, proc.stdout + proc.stderr
