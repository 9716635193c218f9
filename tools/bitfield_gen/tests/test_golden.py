"""Golden-output tests and compile tests of every golden header.

Each tests/golden/NAME.bf is turned into a header and compared with the
committed NAME.h.expected.  A line `-- bf-test-args: ...` in the .bf gives
extra generator arguments (for example the environment).

To refresh the expected files after an intended change:
    BF_UPDATE_GOLDEN=1 python3 tools/bitfield_gen/tests/run_tests.py
then review the diff.
"""

import difflib
import glob
import os
import re
import shlex
import shutil

from bftest import (BfTestCase, GOLDEN_DIR, STRICT_CFLAGS, compile_c, compilers,
                    make_tempdir, run_generator)

_TMP = None


def tmpdir() -> str:
    global _TMP
    if _TMP is None:
        _TMP = make_tempdir('bf_golden_')
    return _TMP


def golden_names():
    return sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(GOLDEN_DIR, '*.bf')))


def extra_args(name):
    with open(os.path.join(GOLDEN_DIR, name + '.bf')) as fh:
        m = re.search(r'^-- bf-test-args:(.*)$', fh.read(), re.M)
    return shlex.split(m.group(1)) if m else []


class GoldenTests(BfTestCase):
    group = 'golden'

    def check_golden(self, name):
        out = os.path.join(tmpdir(), name + '.h')
        # Run inside the golden directory so the header names the input "NAME.bf".
        proc = run_generator(extra_args(name) + [name + '.bf', out], cwd=GOLDEN_DIR)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stderr, '')
        with open(out) as fh:
            got = fh.read()
        expected_path = os.path.join(GOLDEN_DIR, name + '.h.expected')
        if os.environ.get('BF_UPDATE_GOLDEN') == '1':
            with open(expected_path, 'w') as fh:
                fh.write(got)
            return
        self.assertTrue(os.path.exists(expected_path),
                        f"{expected_path} missing; run with BF_UPDATE_GOLDEN=1")
        with open(expected_path) as fh:
            expected = fh.read()
        if got != expected:
            diff = ''.join(difflib.unified_diff(expected.splitlines(True), got.splitlines(True),
                                                name + '.h.expected', 'generated', n=2))
            self.fail(f"generated header differs from golden file:\n{diff[:4000]}")


class CompileTests(BfTestCase):
    group = 'compile'

    def check_compile(self, name, cc):
        header = os.path.join(GOLDEN_DIR, name + '.h.expected')
        src = os.path.join(tmpdir(), f'compile_{name}.c')
        with open(src, 'w') as fh:
            fh.write(f'#include "{header}"\nint bf_compile_test_anchor;\n')
        for extra in ([], ['-DNDEBUG', '-O2']):
            ok, log = compile_c(cc, [src], src + '.o', STRICT_CFLAGS + extra
                                + ['-I', tmpdir(), '-c'], cwd=tmpdir())
            self.assertTrue(ok, log)

    def check_compile_cxx(self, name, cxx):
        """libsel4 headers may be included from C++ programs too."""
        header = os.path.join(GOLDEN_DIR, name + '.h.expected')
        src = os.path.join(tmpdir(), f'compile_{name}.cc')
        with open(src, 'w') as fh:
            fh.write(f'#include "{header}"\nint bf_compile_test_anchor;\n')
        flags = ['-std=c++11'] + [f for f in STRICT_CFLAGS if not f.startswith('-std=')]
        ok, log = compile_c(cxx, [src], src + '.o', flags + ['-I', tmpdir(), '-c'],
                            cwd=tmpdir())
        self.assertTrue(ok, log)


def _add_tests():
    for name in golden_names():
        ident = re.sub(r'\W', '_', name)
        setattr(GoldenTests, f'test_{ident}', lambda self, n=name: self.check_golden(n))
        for i, cc in enumerate(compilers()):
            suffix = '' if i == 0 else '_' + re.sub(r'\W', '_', os.path.basename(cc))
            setattr(CompileTests, f'test_{ident}{suffix}',
                    lambda self, n=name, c=cc: self.check_compile(n, c))
        cxx = os.environ.get('CXX', 'c++')
        if shutil.which(cxx.split()[0]):
            setattr(CompileTests, f'test_{ident}_cxx',
                    lambda self, n=name, c=cxx: self.check_compile_cxx(n, c))


_add_tests()
