"""Shared helpers for the bitfield_gen host tests (standard library only)."""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

TESTS_DIR = os.path.dirname(os.path.abspath(__file__))
TOOL_DIR = os.path.dirname(TESTS_DIR)
GENERATOR = os.path.join(TOOL_DIR, 'bitfield_gen.py')
GOLDEN_DIR = os.path.join(TESTS_DIR, 'golden')

# Warning flags every generated header must survive.
STRICT_CFLAGS = ['-std=c11', '-Wall', '-Wextra', '-Werror', '-pedantic',
                 '-Wconversion', '-Wsign-conversion', '-Wshadow', '-Wcast-qual']

# Minimal stand-ins for the libsel4 headers the libsel4 environment includes.
LIBSEL4_STUBS = {
    'sel4/simple_types.h': """#pragma once
typedef unsigned char seL4_Uint8;
typedef unsigned short seL4_Uint16;
typedef unsigned int seL4_Uint32;
typedef unsigned long long seL4_Uint64;
""",
    'sel4/debug_assert.h': """#pragma once
#include <assert.h>
#define seL4_DebugAssert(x) assert(x)
""",
}


class BfTestCase(unittest.TestCase):
    """Base class: tests are reported as bitfield_gen.<group>.<method minus 'test_'>."""
    group = 'misc'

    def bf_name(self) -> str:
        return f"bitfield_gen.{self.group}.{self._testMethodName[len('test_'):]}"


def run_generator(args, cwd=None, stdin=None):
    """Run the generator CLI; returns CompletedProcess with text output."""
    return subprocess.run([sys.executable, GENERATOR] + list(args), cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=60)


def compilers():
    """The compiler under test (CC or cc) plus gcc/clang when they are different programs."""
    primary = os.environ.get('CC', 'cc')
    found, seen = [], set()
    for cc in [primary, 'gcc', 'clang']:
        path = shutil.which(cc.split()[0])
        if path is None:
            if cc == primary:
                found.append(cc)   # missing primary compiler: let the test fail loudly
            continue
        real = os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            found.append(cc)
    return found


def primary_cc() -> str:
    return os.environ.get('CC', 'cc')


def compile_c(cc, sources, out, flags, cwd):
    """Compile; returns (ok, diagnostics)."""
    cmd = cc.split() + list(flags) + list(sources) + ['-o', out]
    try:
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120)
    except FileNotFoundError:
        return False, f"compiler not found: {cc}"
    return proc.returncode == 0, ' '.join(cmd) + '\n' + proc.stdout + proc.stderr


def make_tempdir(prefix: str) -> str:
    """A temporary directory holding the libsel4 stub headers; removed at exit."""
    path = tempfile.mkdtemp(prefix=prefix)
    for rel, text in LIBSEL4_STUBS.items():
        os.makedirs(os.path.join(path, os.path.dirname(rel)), exist_ok=True)
        with open(os.path.join(path, rel), 'w') as fh:
            fh.write(text)
    import atexit
    atexit.register(shutil.rmtree, path, True)
    return path
