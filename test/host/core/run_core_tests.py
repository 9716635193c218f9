#!/usr/bin/env python3
"""Build and run the host core tests (CSpace, MDB, untyped) under ASan/UBSan.

    python3 test/host/core/run_core_tests.py [--results FILE.json] [-k SUBSTRING]
                                             [--build-dir DIR] [--keep] [-j N]
                                             [--mutant NAME | --list-mutants]

The kernel's capability code (src/kernel/cspace.c, src/object/cnode.c,
src/object/untyped.c, ...) is compiled unmodified for the host together with
the stubs and the test driver in this directory. Every generated header is
made in the build directory (a fresh temporary directory unless --build-dir
is given) by the same tools the CMake build uses; nothing is written into
the source tree.

Each test runs in its own process. Prints `PASS name` / `FAIL name` per test
(failure details go to stderr), then `N passed, M failed`. A test passes only
if its process exits 0, reports success and no sanitizer report appears.
Exit status 0 iff every test passed.

--mutant NAME builds the tests against a copy of one kernel file with a
deliberate bug (see --list-mutants) and inverts the verdict: the run succeeds
iff at least one test fails. The source tree is not touched.

Environment: CC (host compiler, default cc), CORE_TEST_VERBOSE=1 (kernel
console output of every test to stderr).
"""

import argparse
import concurrent.futures
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..', '..'))
ARCH = 'x86_64'
PLAT = 'pc99'

# The kernel files compiled unmodified: the generic kernel (src/kernel,
# src/object, src/api) without boot, the syscall entry and the debug
# syscalls, and printf. The CSpace lookup (cspace.c), the MDB (cnode.c) and
# untyped (untyped.c) are what the tests exercise; the rest is what they
# call. The arch and platform layer is host_arch.c.
KERNEL_DIRS = ['src/kernel', 'src/object', 'src/api']
KERNEL_EXCLUDE = {'src/kernel/boot.c', 'src/kernel/elf.c', 'src/api/syscall.c',
                  'src/api/debug.c'}
KERNEL_EXTRA = ['src/machine/printf.c']


def kernel_sources():
    found = []
    for d in KERNEL_DIRS:
        for name in sorted(os.listdir(os.path.join(ROOT, d))):
            rel = d + '/' + name
            if name.endswith('.c') and rel not in KERNEL_EXCLUDE:
                found.append(rel)
    return found + KERNEL_EXTRA
TEST_SOURCES = ['host_arch.c', 'model.c', 'driver.c', 'tests.c']

SAN_FLAGS = ['-fsanitize=address,undefined', '-fno-sanitize-recover=all',
             '-fno-omit-frame-pointer']
COMMON_FLAGS = ['-std=c11', '-g', '-O1', '-Wall', '-Wextra', '-fno-common'] + SAN_FLAGS

# Deliberate kernel bugs for --mutant: (file, original text, replacement).
MUTANTS = {
    'firstbadged': ('src/object/cnode.c',
                    'if (next && mdb_node_get_mdbFirstBadged(mdb)) {',
                    'if (0 && next && mdb_node_get_mdbFirstBadged(mdb)) {'),
    'revocable-copies': ('src/object/cnode.c',
                         'bool revocable = isCapRevocable(newCap, srcCap);',
                         'bool revocable = true;'),
    'final-prev': ('src/object/cnode.c',
                   'if (prev && sameObjectAs(prev->cap, slot->cap)) {',
                   'if (0 && prev && sameObjectAs(prev->cap, slot->cap)) {'),
    'watermark': ('src/object/untyped.c',
                  'pptr_t end = r->firstObject + (r->count << r->objectBits);',
                  'pptr_t end = r->firstObject + ((r->count - 1) << r->objectBits);'),
    'no-reset': ('src/object/untyped.c',
                 'r.reset = ensureNoChildren(inv->slot) == EXCEPTION_NONE;',
                 'r.reset = false;'),
    'guard': ('src/kernel/cspace.c',
              'if (guardSize > n || (guardSize > 0 && takeBits(capptr, n, guardSize) != guard)) {',
              'if (guardSize > n) {'),
    'swap-links': ('src/object/cnode.c',
                   '    setPrev((cte_t *)mdb_node_get_mdbNext(mdb2), slot1);\n',
                   '\n'),
    'revoke-all': ('src/object/cnode.c',
                   'next && isMDBParentOf(slot, next);',
                   'next && cap_get_capType(next->cap) != cap_null_cap;'),
    'device': ('src/object/untyped.c',
               'if (r.device && a.type != seL4_UntypedObject && !Arch_isFrameType(a.type)) {',
               'if (0) {'),
    'ub-shift': ('src/kernel/cspace.c',
                 'return (w >> (n - count)) & MASK_SAFE(count);',
                 'return (w >> (n - count + 64)) & MASK_SAFE(count);'),
    'reset-overrun': ('src/object/untyped.c',
                      'Arch_clearMemory((void *)(base + (word_t)offset), BIT(RESET_CHUNK_BITS));',
                      'Arch_clearMemory((void *)(base + (word_t)offset), BIT(RESET_CHUNK_BITS + 1));'),
    'untyped-copy-full': ('src/object/cnode.c',
                          'srcSlot->cap = cap_untyped_cap_set_capFreeIndex(srcCap, '
                          'BIT(bits - seL4_MinUntypedBits));',
                          '(void)bits;'),
}

SANITIZER_MARKERS = ('AddressSanitizer', 'LeakSanitizer', 'runtime error:',
                     'UndefinedBehaviorSanitizer')


class BuildError(Exception):
    pass


def run(cmd, **kw):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True, **kw)
    if r.returncode != 0:
        raise BuildError(f"command failed ({r.returncode}): {' '.join(cmd)}\n{r.stdout}")
    return r.stdout


def generate(cc, build):
    """Generated headers, as cmake/generators.cmake and libsel4/CMakeLists.txt make them."""
    gen = os.path.join(build, 'gen')
    config = os.path.join(gen, 'config')
    kgen = os.path.join(gen, 'kernel')
    lgen = os.path.join(gen, 'libsel4', 'include')
    for d in (config, os.path.join(kgen, 'object'), os.path.join(kgen, 'api'),
              os.path.join(lgen, 'sel4')):
        os.makedirs(d, exist_ok=True)
    autoconf = os.path.join(config, 'autoconf.h')
    shutil.copyfile(os.path.join(HERE, 'autoconf.h'), autoconf)
    bitfield_gen = os.path.join(ROOT, 'tools', 'bitfield_gen', 'bitfield_gen.py')

    def bf(out, src, env, incs):
        pbf = out + '.pbf'
        run([cc, '-E', '-x', 'assembler-with-cpp', '-undef', '-nostdinc']
            + ['-I' + d for d in incs] + ['-include', autoconf, src, '-o', pbf])
        run([sys.executable, bitfield_gen, '--environment', env, pbf, out])

    bf(os.path.join(kgen, 'object', 'structures_gen.h'),
       os.path.join(ROOT, 'include', 'arch', ARCH, 'structures.bf'), 'kernel',
       [os.path.join(ROOT, 'include'), os.path.join(ROOT, 'include', 'arch', ARCH)])
    bf(os.path.join(lgen, 'sel4', 'shared_types_gen.h'),
       os.path.join(ROOT, 'libsel4', 'shared_types.bf'), 'libsel4',
       [os.path.join(ROOT, 'libsel4')])
    run([sys.executable, os.path.join(ROOT, 'tools', 'interface_gen', 'interface_gen.py'),
         '--arch', ARCH, '--xml-dir', os.path.join(ROOT, 'libsel4', 'interfaces'),
         '--config', autoconf, '--libsel4-out', lgen, '--kernel-out', kgen])
    # KERNEL_INCLUDE_DIRS of cmake/kernel.cmake, in order.
    return [os.path.join(ROOT, 'include'),
            os.path.join(ROOT, 'include', 'arch', ARCH),
            os.path.join(ROOT, 'include', 'plat', PLAT),
            kgen, config,
            os.path.join(ROOT, 'libsel4', 'include'),
            os.path.join(ROOT, 'libsel4', 'arch_include', ARCH),
            lgen, config]


def build(cc, build_dir, jobs, mutant=None):
    """Compile everything into build_dir; returns the path of the test binary."""
    if platform.machine().lower() not in ('x86_64', 'amd64'):
        raise BuildError(f"the host core tests need an x86_64 host (the x86_64 kernel headers "
                         f"hold x86 inline assembly); this one is {platform.machine()}")
    incs = generate(cc, build_dir)
    objdir = os.path.join(build_dir, 'obj')
    os.makedirs(objdir, exist_ok=True)
    inc_flags = ['-I' + d for d in incs]
    units = []
    for rel in kernel_sources():
        src = os.path.join(ROOT, rel)
        if mutant and MUTANTS[mutant][0] == rel:
            _, old, new = MUTANTS[mutant]
            text = open(src).read()
            if text.count(old) != 1:
                raise BuildError(f"mutant {mutant}: the text to replace is not in {rel} "
                                 "exactly once")
            src = os.path.join(build_dir, 'mutant_' + os.path.basename(rel))
            with open(src, 'w') as fh:
                fh.write(text.replace(old, new))
        obj = os.path.join(objdir, rel.replace('/', '_') + '.o')
        units.append([cc] + COMMON_FLAGS + ['-D__KERNEL__'] + inc_flags + ['-c', src, '-o', obj])
    for name in TEST_SOURCES:
        obj = os.path.join(objdir, 'test_' + name + '.o')
        units.append([cc] + COMMON_FLAGS + ['-D_GNU_SOURCE', '-Werror', '-I' + HERE] + inc_flags
                     + ['-c', os.path.join(HERE, name), '-o', obj])
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for f in [pool.submit(run, cmd) for cmd in units]:
            f.result()
    binary = os.path.join(build_dir, 'core_tests')
    run([cc] + SAN_FLAGS + ['-g', '-o', binary] + [u[-1] for u in units])
    return binary


def run_test(binary, name, timeout):
    env = dict(os.environ)
    env['ASAN_OPTIONS'] = 'detect_leaks=0:abort_on_error=0:halt_on_error=1:' \
                          + env.get('ASAN_OPTIONS', '')
    env['UBSAN_OPTIONS'] = 'print_stacktrace=1:halt_on_error=1:' + env.get('UBSAN_OPTIONS', '')
    start = time.monotonic()
    try:
        r = subprocess.run([binary, '--run', name], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True, env=env,
                           timeout=timeout)
        out, err, rc = r.stdout, r.stderr, r.returncode
    except subprocess.TimeoutExpired as e:
        out = e.stdout or ''
        err = (e.stderr or '') + f"\ntimed out after {timeout}s"
        if isinstance(out, bytes):
            out = out.decode(errors='replace')
        if isinstance(err, bytes):
            err = err.decode(errors='replace')
        rc = -1
    elapsed = time.monotonic() - start
    problems = []
    if rc != 0:
        problems.append(f"exit status {rc}")
    if not any(line.split()[:2] == ['TEST-OK', name] for line in out.splitlines()):
        problems.append("no success report")
    for m in SANITIZER_MARKERS:
        if m in out or m in err:
            problems.append(f"sanitizer report ({m})")
            break
    return not problems, problems, out, err, elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--results', help="write a JSON summary to this file")
    ap.add_argument('-k', dest='filter', help="only run tests whose name contains this")
    ap.add_argument('--build-dir', help="build here (kept) instead of a temporary directory")
    ap.add_argument('--keep', action='store_true', help="keep the temporary build directory")
    ap.add_argument('-j', dest='jobs', type=int, default=os.cpu_count() or 2,
                    help="parallel compile jobs and test processes")
    ap.add_argument('--timeout', type=int, default=120, help="per-test timeout in seconds")
    ap.add_argument('--mutant', choices=sorted(MUTANTS),
                    help="build against a deliberately broken kernel file; succeed iff caught")
    ap.add_argument('--list-mutants', action='store_true')
    args = ap.parse_args()

    if args.list_mutants:
        for name, (path, _, _) in sorted(MUTANTS.items()):
            print(f"{name}: {path}")
        return 0

    cc = os.environ.get('CC', 'cc')
    suite = 'host.core' if not args.mutant else f'host.core.mutant.{args.mutant}'
    records = []
    if args.build_dir:
        build_dir = os.path.abspath(args.build_dir)
        os.makedirs(build_dir, exist_ok=True)
        cleanup = False
    else:
        build_dir = tempfile.mkdtemp(prefix='cairn-host-core-')
        cleanup = not args.keep
    start = time.monotonic()
    try:
        try:
            binary = build(cc, build_dir, max(1, args.jobs), args.mutant)
        except BuildError as e:
            sys.stderr.write(f"---- core.build\n{e}\n")
            print("FAIL core.build", flush=True)
            records.append({'name': 'core.build', 'ok': False})
            binary = None
        build_time = time.monotonic() - start
        names = []
        if binary:
            listing = subprocess.run([binary, '--list'], stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, universal_newlines=True)
            if listing.returncode != 0:
                sys.stderr.write(f"---- core.list\n{listing.stdout}\n")
                print("FAIL core.list", flush=True)
                records.append({'name': 'core.list', 'ok': False})
                binary = None
            else:
                names = [n for n in listing.stdout.split() if not args.filter or args.filter in n]
        if binary:
            test_start = time.monotonic()
            with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
                futures = [pool.submit(run_test, binary, n, args.timeout) for n in names]
                for name, fut in zip(names, futures):
                    ok, problems, out, err, elapsed = fut.result()
                    records.append({'name': name, 'ok': ok})
                    print(f"{'PASS' if ok else 'FAIL'} {name}", flush=True)
                    if not ok or os.environ.get('CORE_TEST_VERBOSE'):
                        tail = '\n'.join((out + err).splitlines()[-80:])
                        sys.stderr.write(f"---- {name} ({elapsed:.1f}s): "
                                         f"{', '.join(problems) or 'ok'}\n{tail}\n")
                        sys.stderr.flush()
            sys.stderr.write(f"host core tests: build {build_time:.1f}s, "
                             f"tests {time.monotonic() - test_start:.1f}s\n")
    finally:
        if cleanup:
            shutil.rmtree(build_dir, ignore_errors=True)

    passed = sum(r['ok'] for r in records)
    failed = len(records) - passed
    print(f"{passed} passed, {failed} failed")
    if args.results:
        with open(args.results, 'w') as fh:
            json.dump({'suite': suite, 'passed': passed, 'failed': failed, 'tests': records},
                      fh, indent=2)
            fh.write('\n')
    if args.mutant:
        caught = failed > 0 and not any(r['name'] in ('core.build', 'core.list') for r in records)
        print(f"mutant {args.mutant}: {'caught' if caught else 'NOT caught'}")
        return 0 if caught else 1
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == '__main__':
    sys.exit(main())
